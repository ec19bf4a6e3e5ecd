"""Reads of supervision: the supervision list with filters, counts per unit and grade
(with the assessment points lost), and the cases under supervision (督办中)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.cases.selectors import visible_cases
from fengqiao.org.choices import Role
from fengqiao.org.models import Membership, User
from fengqiao.supervision.choices import ACTIVE_STATUSES, GRADE_ORDER, OrderStatus
from fengqiao.supervision.grades import grades
from fengqiao.supervision.models import SupervisionOrder


@dataclass(frozen=True)
class OrderFilters:
    """One filter definition for the page, the API and the export."""

    grade: str = ""
    status: str = ""  # an OrderStatus, or "active" for every order not closed
    unit_id: int | None = None
    is_automatic: bool | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None


def supervision_orders(
    user: User, filters: OrderFilters | None = None, *, membership_id: int | None = None
) -> QuerySet[SupervisionOrder]:
    """督办列表: the orders on the cases this user may see, newest first."""
    f = filters or OrderFilters()
    qs = SupervisionOrder.objects.filter(
        case__in=visible_cases(user, membership_id=membership_id).values("pk")
    ).select_related("case", "unit", "issued_by")
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.status == "active":
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.is_automatic is not None:
        qs = qs.filter(is_automatic=f.is_automatic)
    tz = timezone.get_default_timezone()
    if f.issued_from:
        qs = qs.filter(issued_at__gte=dt.datetime.combine(f.issued_from, dt.time(), tzinfo=tz))
    if f.issued_to:
        end = dt.datetime.combine(f.issued_to + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        qs = qs.filter(issued_at__lt=end)
    return qs.order_by("-issued_at", "-id")


@dataclass(frozen=True)
class UnitGradeCount:
    unit_id: int | None
    unit_name: str
    grade: str
    grade_name: str
    total: int
    active: int
    overdue_replies: int
    points: Decimal


def supervision_counts(
    user: User, filters: OrderFilters | None = None, *, membership_id: int | None = None
) -> list[UnitGradeCount]:
    """Counts per supervised unit and grade, with the assessment points each unit lost."""
    names = {g: info.name for g, info in grades().items()}
    rows = (
        supervision_orders(user, filters, membership_id=membership_id)
        .order_by()
        .values("unit_id", "unit__name", "grade")
        .annotate(
            total=Count("id"),
            active=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
            overdue_replies=Count("id", filter=Q(status=OrderStatus.OVERDUE)),
            points=Sum("points"),
        )
    )
    out = [
        UnitGradeCount(
            unit_id=r["unit_id"],
            unit_name=r["unit__name"] or "",
            grade=r["grade"],
            grade_name=names.get(r["grade"], r["grade"]),
            total=r["total"],
            active=r["active"],
            overdue_replies=r["overdue_replies"],
            points=r["points"] or Decimal("0"),
        )
        for r in rows
    ]
    out.sort(key=lambda c: (c.unit_name, GRADE_ORDER.index(c.grade)))
    return out


def grade_totals(
    user: User, filters: OrderFilters | None = None, *, membership_id: int | None = None
) -> dict[str, int]:
    """Number of orders per grade (every grade present, zero included)."""
    counts = dict(
        supervision_orders(user, filters, membership_id=membership_id)
        .order_by()
        .values_list("grade")
        .annotate(n=Count("id"))
    )
    return {g: counts.get(g, 0) for g in GRADE_ORDER}


def supervised_cases(user: User, *, membership_id: int | None = None) -> QuerySet[Case]:
    """督办中: visible cases with at least one order not closed."""
    active = SupervisionOrder.objects.filter(case=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    return visible_cases(user, membership_id=membership_id).filter(Exists(active))


def supervised_count(user: User, *, membership_id: int | None = None) -> int:
    return supervised_cases(user, membership_id=membership_id).count()


def grade_choices() -> list[tuple[str, str]]:
    """(grade, configured name) for filters and forms."""
    return [(g, info.name) for g, info in grades().items()]


# Who may open the supervision list (督办): supervisors and the roles that issue, follow or
# answer orders.
SUPERVISION_LIST_ROLES = frozenset(
    {Role.SUPERVISOR, Role.DIRECTOR, Role.DISPATCHER, Role.LEADER, Role.HANDLER}
)


def may_see_supervision(user: User, membership: Membership | None) -> bool:
    """Whether the supervision list is for this user in their current membership."""
    if user.is_superuser:
        return True
    return membership is not None and membership.role in SUPERVISION_LIST_ROLES
