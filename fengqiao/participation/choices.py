"""Choices of citizen participation (stored values in English, labels in Chinese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClueKind(models.TextChoices):
    REPORT = "report", _("举报求助")
    HAZARD = "hazard", _("隐患随手拍")


class ClueStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CASE = "case", _("已转为案件")
    USEFUL = "useful", _("有效（已处理）")
    REJECTED = "rejected", _("不予采纳")


class TopicStatus(models.TextChoices):
    OPEN = "open", _("议事中")
    VOTING = "voting", _("表决中")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("结果已公布")


class VoteChoice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class MeetingKind(models.TextChoices):
    SHUOSHI = "shuoshi", _("逢四说事")
    KENTAN = "kentan", _("民意恳谈")
    JOINT = "joint", _("联席会议")


class NoticeScope(models.TextChoices):
    GRID = "grid", _("网格")
    VILLAGE = "village", _("村（社区）")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("法治讲座")
    STALL = "stall", _("集中宣传（摆摊设点）")
    VISIT = "visit", _("入户普法")
    SCHOOL = "school", _("法治进校园")
    ONLINE = "online", _("线上普法")


class TitleKind(models.TextChoices):
    TOWNSHIP = "township", _("平安乡镇")
    VILLAGE = "village", _("平安村（社区）")
    UNIT = "unit", _("平安单位")
    FAMILY = "family", _("平安家庭")


class CandidateResult(models.TextChoices):
    PENDING = "pending", _("待评定")
    AWARDED = "awarded", _("已授予")
    NOT_AWARDED = "not_awarded", _("未达标")
