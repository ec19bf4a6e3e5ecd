from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待回访")
    DONE = "done", _("已回访")
    UNREACHED = "unreached", _("未联系上")
    ARCHIVED = "archived", _("已归档")


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("电话回访")
    SMS = "sms", _("短信回访")
    IN_PERSON = "in_person", _("上门回访")
    CITIZEN_PORTAL = "citizen_portal", _("群众网上评价")


class Outcome(models.TextChoices):
    ARCHIVED = "archived", _("已归档")
    REOPENED = "reopened", _("重新办理（督办）")
    SUPERVISED = "supervised", _("已督办")
    RECORDED = "recorded", _("已记录")
    NOT_REACHED = "not_reached", _("未联系上")
