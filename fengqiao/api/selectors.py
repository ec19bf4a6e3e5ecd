"""Reads for the API. Every case read starts from ``visible_cases(user)``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import AssignmentRole, AssignmentStatus
from fengqiao.cases.codes import InvalidCode, check_code
from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, Category
from fengqiao.cases.selectors import active_memberships, search_cases, visible_cases
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import PATH_END, Region
from fengqiao.supervision.models import SupervisionOrder

LIST_RELATED = ("category", "region", "center", "lead_unit")
MAX_LIMIT = 100
DETAIL_PREFETCH = (
    "parties",
    Prefetch("assignments", queryset=CaseAssignment.objects.select_related("unit")),
)


# The roles that integrate other systems through the API (or script their own work): not
# grid workers and mediators, whose work is on their pages and phones.
TOKEN_ROLES = frozenset(
    {Role.RECEPTIONIST, Role.DISPATCHER, Role.HANDLER, Role.SUPERVISOR, Role.DIRECTOR,
     Role.LEADER, Role.ADMIN}
)  # fmt: skip


def may_hold_tokens(user: User) -> bool:
    """Whether the user may create personal API tokens."""
    return user.is_superuser or any(m.role in TOKEN_ROLES for m in active_memberships(user))


def case_not_found() -> NotFound:
    return NotFound(_("案件不存在或不在您的管辖范围内。"))


def valid_code(code: str) -> str:
    """The normalized code, or a 422 ``invalid_code`` before any lookup."""
    try:
        return check_code(code)
    except InvalidCode:
        raise ValidationFailed(
            _("案件编号有误，请核对后重新输入（20位，最后一位为校验码）。"),
            code="invalid_code",
            field="code",
        ) from None


def get_case(user: User, code: str, *, detail: bool = False) -> Case:
    """One case the user may see, by code; out of scope looks exactly like missing."""
    normalized = valid_code(code)
    qs = visible_cases(user).select_related(*LIST_RELATED)
    if detail:
        qs = qs.select_related("grid").prefetch_related(*DETAIL_PREFETCH)
    case = qs.filter(code=normalized).first()
    if case is None:
        raise case_not_found()
    return case


@dataclass(frozen=True)
class CaseFilters:
    status: Sequence[str] = ()
    category: str = ""
    region: str = ""
    risk_level: str = ""
    unit: int | None = None
    overdue: bool | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    q: str = ""


def _day_start(day: dt.date, *, plus_days: int = 0) -> dt.datetime:
    # Clamped so that far-off dates (year 1, year 9999) stay representable everywhere.
    day = min(max(day, dt.date(1970, 1, 2)), dt.date(9000, 1, 1))
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time.min))


def filter_cases(user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases this user may see that match the filters, newest first."""
    qs = visible_cases(user, statuses=filters.status or None)
    if filters.category:
        category = Category.objects.filter(code=filters.category).only("path").first()
        if category is None:
            raise ValidationFailed(
                _("分类“%(code)s”不存在。") % {"code": filters.category},
                code="unknown_category",
                field="category",
            )
        qs = qs.filter(
            category__path__gte=category.path, category__path__lt=category.path + PATH_END
        )
    if filters.region:
        region = Region.objects.filter(code=filters.region).only("path").first()
        if region is None:
            raise ValidationFailed(
                _("区划“%(code)s”不存在。") % {"code": filters.region},
                code="unknown_region",
                field="region",
            )
        qs = qs.in_region(region)
    if filters.risk_level:
        qs = qs.filter(risk_level=filters.risk_level)
    if filters.unit is not None:
        qs = qs.filter(
            Q(lead_unit_id=filters.unit)
            | Exists(
                CaseAssignment.objects.filter(
                    case_id=OuterRef("pk"), unit_id=filters.unit, role=AssignmentRole.CO
                ).exclude(status=AssignmentStatus.CANCELLED)
            )
        )
    if filters.overdue is not None:
        qs = qs.filter(is_overdue=filters.overdue)
    if filters.registered_from:
        qs = qs.filter(registered_at__gte=_day_start(filters.registered_from))
    if filters.registered_to:
        qs = qs.filter(registered_at__lt=_day_start(filters.registered_to, plus_days=1))
    if filters.q:
        qs = search_cases(qs, filters.q)
    return qs.select_related(*LIST_RELATED).order_by("-registered_at", "-id")


def encode_cursor(case: Case) -> str:
    raw = f"{case.registered_at.isoformat()}|{case.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at_text, pk_text = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        at = dt.datetime.fromisoformat(at_text)
        pk = int(pk_text)
        if at.tzinfo is None or not 0 < pk < 2**62:
            raise ValueError
        return at, pk
    except (ValueError, UnicodeError, binascii.Error):
        raise ValidationFailed(
            _("分页游标无效，请从第一页重新查询。"), code="invalid_cursor", field="cursor"
        ) from None


@dataclass(frozen=True)
class Page:
    items: list[Case]
    next_cursor: str | None
    count: int | None


def paginate(
    qs: QuerySet[Case],
    *,
    limit: int,
    cursor: str = "",
    page: int | None = None,
    with_count: bool = False,
) -> Page:
    """Keyset pagination on (registered_at, id) descending: each page is one index range
    scan, however deep. ``page`` gives offset pagination for small lists; no COUNT(*) unless
    asked for."""
    limit = max(1, min(limit, MAX_LIMIT))
    count = qs.count() if with_count else None
    if cursor:
        at, pk = _decode_cursor(cursor)
        # (registered_at, id) < (at, pk), with the plain bound first so that the index on
        # registered_at starts its backward scan at the cursor instead of at the newest row.
        qs = qs.filter(registered_at__lte=at).filter(Q(registered_at__lt=at) | Q(pk__lt=pk))
        rows = list(qs[: limit + 1])
    else:
        offset = (page - 1) * limit if page else 0
        rows = list(qs[offset : offset + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]) if more else None, count=count)


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")


def case_orders(case: Case) -> QuerySet[SupervisionOrder]:
    return (
        SupervisionOrder.objects.filter(case=case)
        .select_related("case", "unit")
        .prefetch_related("replies__unit", "replies__author")
    )


def get_order(user: User, order_id: int) -> SupervisionOrder:
    """A supervision order on a case this user may see."""
    order = (
        SupervisionOrder.objects.filter(pk=order_id, case__in=visible_cases(user))
        .select_related("case", "unit")
        .prefetch_related("replies__unit", "replies__author")
        .first()
    )
    if order is None:
        raise NotFound(_("督办单不存在或不在您的管辖范围内。"))
    return order


def default_center(user: User) -> Unit | None:
    for m in active_memberships(user):
        if m.unit.kind == UnitKind.CENTER:
            return m.unit
    return None


def _center_paths(user: User) -> list[str]:
    return sorted(
        {m.unit.region_path for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER}
    )


def visible_units(user: User, *, center_id: int | None = None) -> QuerySet[Unit]:
    """Active units in the subtree of the user's centers (or of one of those centers)."""
    qs = Unit.objects.filter(is_active=True).select_related("region")
    if user.is_superuser and center_id is None:
        return qs.order_by("region_path", "kind", "name")
    paths = _center_paths(user)
    if center_id is not None:
        center = Unit.objects.filter(pk=center_id, kind=UnitKind.CENTER).first()
        if center is None or not (
            user.is_superuser or any(center.region_path.startswith(p) for p in paths)
        ):
            raise NotFound(_("综治中心不存在或不在您的管辖范围内。"))
        paths = [center.region_path]
    if not paths:
        return qs.none()
    scope = Q(pk__in=[])
    for p in paths:
        scope |= Q(region_path__gte=p, region_path__lt=p + PATH_END)
    return qs.filter(scope).order_by("region_path", "kind", "name")


def get_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_("区划“%(code)s”不存在。") % {"code": code})
    return region


def region_children(region: Region) -> list[tuple[Region, bool]]:
    children = list(
        Region.objects.filter(parent=region)
        .annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk"))))
        .order_by("code")
    )
    return [(r, r.has_children) for r in children]


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent").order_by("path")
