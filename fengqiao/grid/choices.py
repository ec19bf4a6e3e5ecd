"""Choices of grid management (posts of the 五级 chain, base data, key populations…)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GridPost(models.TextChoices):
    """A post in a grid's chain (网格长 → 网格员 → 微网格长 → 楼栋长), highest first."""

    HEAD = "head", _("网格长")
    WORKER = "worker", _("网格员")
    MICRO_HEAD = "micro_head", _("微网格长")
    BUILDING_HEAD = "building_head", _("楼栋长")


POST_RANK = {
    GridPost.HEAD: 1,
    GridPost.WORKER: 2,
    GridPost.MICRO_HEAD: 3,
    GridPost.BUILDING_HEAD: 4,
}


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class LocationCheck(models.TextChoices):
    INSIDE = "inside", _("在本网格内")
    OUTSIDE = "outside", _("不在本网格内")
    NO_BOUNDARY = "no_boundary", _("网格无边界，未核验")
    NONE = "none", _("未定位")


class ReportOutcome(models.TextChoices):
    CASE = "case", _("上报为案件")
    ON_THE_SPOT = "on_the_spot", _("网格事网格办（当场解决）")


class ReportCategory(models.TextChoices):
    """What a grid worker reports from the field (each maps to a kind of case)."""

    DISPUTE = "dispute", _("矛盾纠纷")
    SECURITY = "security", _("治安隐患")
    HAZARD = "hazard", _("安全隐患")
    ENVIRONMENT = "environment", _("环境卫生")
    LIVELIHOOD = "livelihood", _("民生服务")
    OTHER = "other", _("其他")


# The case kind each category becomes (cases.choices.CaseKind values).
CATEGORY_KIND = {
    ReportCategory.DISPUTE: "dispute",
    ReportCategory.SECURITY: "security",
    ReportCategory.HAZARD: "hazard",
    ReportCategory.ENVIRONMENT: "livelihood",
    ReportCategory.LIVELIHOOD: "livelihood",
    ReportCategory.OTHER: "other",
}


class ResidentKind(models.TextChoices):
    REGISTERED = "registered", _("户籍人口")
    FLOATING = "floating", _("流动人口")
    OVERSEAS = "overseas", _("境外人员")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他证件")


class HouseUse(models.TextChoices):
    SELF = "self", _("自住")
    RENTED = "rented", _("出租")
    VACANT = "vacant", _("空置")
    BUSINESS = "business", _("经营")


class OrgKind(models.TextChoices):
    NON_PUBLIC = "non_public", _("非公有制经济组织")
    SOCIAL = "social", _("社会组织")


class PlaceKind(models.TextChoices):
    SCHOOL = "school", _("学校及周边")
    HOSPITAL = "hospital", _("医院")
    MARKET = "market", _("集贸市场")
    ENTERTAINMENT = "entertainment", _("娱乐场所")
    HAZMAT = "hazmat", _("危化品场所")
    TRANSPORT = "transport", _("车站码头")
    RELIGIOUS = "religious", _("宗教场所")
    OTHER = "other", _("其他重点场所")


class KeyCategory(models.TextChoices):
    COMMUNITY_CORRECTION = "community_correction", _("社区矫正对象")
    RELEASED = "released", _("刑满释放人员")
    DRUG = "drug", _("吸毒/社区戒毒人员")
    MENTAL = "mental", _("严重精神障碍患者")
    YOUTH = "youth", _("重点青少年")
    PETITION = "petition", _("信访重点人员")


class KeyRisk(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class VisitEvery(models.TextChoices):
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")


# Working days between two visits (the plan's cadence on the working-day calendar).
VISIT_WORKDAYS = {VisitEvery.WEEK: 5, VisitEvery.MONTH: 21, VisitEvery.QUARTER: 63}
# Default cadence by risk level.
RISK_CADENCE = {
    KeyRisk.HIGH: VisitEvery.WEEK,
    KeyRisk.MEDIUM: VisitEvery.MONTH,
    KeyRisk.LOW: VisitEvery.QUARTER,
}


class AlertLevel(models.TextChoices):
    REMINDER = "reminder", _("逾期提醒")
    SUPERVISION = "supervision", _("自动督办")


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待排查")
    REPORTED = "reported", _("已上报")


class FindingOutcome(models.TextChoices):
    NONE = "none", _("无隐患")
    CASE = "case", _("转为案件")
    RECTIFY = "rectify", _("限期整改")


class RectifyStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已整改")
