"""Reads for the API. Every case read starts from ``visible_cases(user)``."""

from __future__ import annotations

import dataclasses

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from fengqiao.cases.codes import InvalidCode, check_code
from fengqiao.cases.filters import NEWEST_FIRST, CaseFilter, apply_filter
from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, Category
from fengqiao.cases.selectors import active_memberships, visible_cases
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import PATH_END, Region
from fengqiao.supervision.models import SupervisionOrder

LIST_RELATED = ("category", "region", "center", "lead_unit")
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


def filter_cases(user: User, f: CaseFilter) -> QuerySet[Case]:
    """The cases this user may see that match the filter, newest first."""
    # The states narrow the scope itself (its index); the rest of the filter applies after.
    scope = visible_cases(user, statuses=f.statuses or None)
    qs = apply_filter(scope, dataclasses.replace(f, statuses=()))
    return qs.select_related(*LIST_RELATED).order_by(*NEWEST_FIRST)


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
