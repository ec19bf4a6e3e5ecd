from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class Counting(models.TextChoices):
    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


class TimerKind(models.TextChoices):
    SIGN = "sign", _("签收时限")
    RESOLVE = "resolve", _("办理时限")
    VISIT = "visit", _("回访时限")
    REPORT = "report", _("进展报告时限")


class Stage(models.IntegerChoices):
    RUNNING = 0, _("正常")
    WARNED = 1, _("即将超期")
    OVERDUE = 2, _("已超期")
    SEVERE = 3, _("超期过半")
    CRITICAL = 4, _("超期一倍")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
