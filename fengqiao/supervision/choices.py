from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    GENERAL = "general", _("一般督办")
    KEY = "key", _("重点督办")
    LISTED = "listed", _("挂牌督办")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    OVERDUE = "overdue", _("逾期未回复")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已办结")


# Grades from mildest to most severe.
GRADE_ORDER = (Grade.GENERAL, Grade.KEY, Grade.LISTED)
ACTIVE_STATUSES = (OrderStatus.OPEN, OrderStatus.OVERDUE, OrderStatus.REPLIED)


def grade_rank(grade: str) -> int:
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else 0


def next_grade(grade: str) -> str:
    return GRADE_ORDER[min(grade_rank(grade) + 1, len(GRADE_ORDER) - 1)]
