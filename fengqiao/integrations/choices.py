from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import CaseKind, Channel


class PartnerKind(models.TextChoices):
    POLICE_110 = "police_110", _("110接处警")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    COURT = "court", _("法院诉前委派")
    PETITION = "petition", _("信访系统")
    SENTIMENT = "sentiment", _("舆情监测")
    OPINION = "opinion", _("民情收集")
    OPEN311 = "open311", _("Open311客户端")
    OTHER = "other", _("其他系统")


# The kinds whose messages are risk signals, not cases.
SIGNAL_KINDS = frozenset({PartnerKind.SENTIMENT, PartnerKind.OPINION})

KIND_CHANNEL = {
    PartnerKind.POLICE_110: Channel.TRANSFER_110,
    PartnerKind.HOTLINE_12345: Channel.TRANSFER_12345,
    PartnerKind.COURT: Channel.TRANSFER_COURT,
    PartnerKind.PETITION: Channel.LETTER,
    PartnerKind.OPEN311: Channel.WEB,
    PartnerKind.OTHER: Channel.API,
}

KIND_CASE_KIND = {
    PartnerKind.POLICE_110: CaseKind.SECURITY,
    PartnerKind.PETITION: CaseKind.PETITION,
}


class MappingKind(models.TextChoices):
    CATEGORY = "category", _("类别")
    REGION = "region", _("区划")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已送达")
    DEAD = "dead", _("投递失败")


class SignalLevel(models.TextChoices):
    LOW = "low", _("一般")
    MEDIUM = "medium", _("较高")
    HIGH = "high", _("高")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("已校验")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("有错误")


class RowStatus(models.TextChoices):
    VALID = "valid", _("校验通过")
    INVALID = "invalid", _("校验未通过")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("导入失败")
