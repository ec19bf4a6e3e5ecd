"""Configured grade names, points and reply limits (admin-editable, with defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fengqiao.supervision.choices import GRADE_ORDER, Grade
from fengqiao.supervision.models import GradeSetting


@dataclass(frozen=True)
class GradeInfo:
    grade: str
    name: str
    points: Decimal
    reply_days: int


DEFAULTS = {
    Grade.GENERAL: (Decimal("1"), 3),
    Grade.KEY: (Decimal("3"), 2),
    Grade.LISTED: (Decimal("5"), 1),
}


def grades() -> dict[str, GradeInfo]:
    """Every grade, mildest first, with its configured name, points and reply days."""
    rows = {g.grade: g for g in GradeSetting.objects.all()}
    out = {}
    for grade in GRADE_ORDER:
        row = rows.get(grade)
        points, days = DEFAULTS[grade]
        out[grade] = GradeInfo(
            grade=grade,
            name=row.display_name if row else str(Grade(grade).label),
            points=row.points if row else points,
            reply_days=row.reply_days if row else days,
        )
    return out


def grade_info(grade: str) -> GradeInfo:
    return grades()[grade]


def grade_label(grade: str) -> str:
    return grades()[grade].name
