from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionSource(models.TextChoices):
    RULES = "rules", _("关键词规则")
    MODEL = "model", _("分类模型")
    NONE = "none", _("无建议")


class RiskWordGroup(models.TextChoices):
    THREAT = "threat", _("威胁")
    VIOLENCE = "violence", _("暴力")
    DESPAIR = "despair", _("绝望/极端")
    COLLECTIVE = "collective", _("群体行动")


class RiskFactor(models.TextChoices):
    """The factors of the risk score. Each one that fires is stored with its weight."""

    CATEGORY = "category", _("分类基础风险")
    WORDS = "words", _("风险词（合计上限）")
    GROUP = "group", _("群体性（涉及人数）")
    LARGE_GROUP = "large_group", _("大规模群体（涉及人数）")
    REPEAT = "repeat", _("重复来访（每次）")
    ELDERLY = "elderly", _("涉及老年人")
    MINOR = "minor", _("涉及未成年人")
    DISABLED = "disabled", _("涉及残疾人")
    PRIOR_RED = "prior_red", _("当事人曾有最高风险等级案件")
    RETURNED = "returned", _("被退回（每次）")
    OVERDUE = "overdue", _("已超期")
    REOPENED = "reopened", _("重新办理/退回重办（每次）")
    MANUAL = "manual", _("受理人员研判")
