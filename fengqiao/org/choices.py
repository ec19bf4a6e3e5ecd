from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("窗口受理员")
    DISPATCHER = "dispatcher", _("分流调度员")
    HANDLER = "handler", _("承办人")
    MEDIATOR = "mediator", _("调解员")
    GRID_WORKER = "grid_worker", _("网格员")
    SUPERVISOR = "supervisor", _("督办员")
    DIRECTOR = "director", _("中心主任")
    LEADER = "leader", _("领导")
    ADMIN = "admin", _("系统管理员")
    AUDITOR = "auditor", _("安全审计员")  # security (issue 18): 三员分立, fengqiao/security


class UnitKind(models.TextChoices):
    CENTER = "center", _("综治中心")
    DEPARTMENT = "department", _("职能部门")
    ORGANIZATION = "organization", _("其他组织")


class UnitType(models.TextChoices):
    """What a handling unit is; categories map to these."""

    CENTER = "center", _("综治中心")
    PUBLIC_SECURITY = "public_security", _("公安")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    JUSTICE = "justice", _("司法")
    PETITION = "petition", _("信访")
    HUMAN_RESOURCES = "human_resources", _("人社")
    HOUSING = "housing", _("住建")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    HEALTH = "health", _("卫健")
    MARKET = "market", _("市场监管")
    EDUCATION = "education", _("教育")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    WOMEN_FEDERATION = "women_federation", _("妇联")
    ENVIRONMENT = "environment", _("生态环境")
    TRANSPORT = "transport", _("交通运输")
    AGRICULTURE = "agriculture", _("农业农村")
    EMERGENCY = "emergency", _("应急管理")
    URBAN_MANAGEMENT = "urban_management", _("城管")
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    OTHER = "other", _("其他")


class Residency(models.TextChoices):
    RESIDENT = "resident", _("常驻")
    ROTATING = "rotating", _("轮驻")
    ON_CALL = "on_call", _("随驻")
    NONE = "none", _("未入驻")
