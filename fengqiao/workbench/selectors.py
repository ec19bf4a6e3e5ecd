"""Reads for the staff pages: worklists by role, the filtered case list, duplicates,
region and unit pickers. Every read of cases starts from ``visible_cases``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.cases import filters
from fengqiao.cases.choices import OPEN_STATUSES, PartyRole, Status
from fengqiao.cases.codes import mistyped_code, near_codes
from fengqiao.cases.drafts import address_key
from fengqiao.cases.models import Case, Category, Party
from fengqiao.cases.selectors import visible_cases
from fengqiao.core import crypto
from fengqiao.deadlines.choices import Stage, TimerKind
from fengqiao.deadlines.selectors import Clock, nearing_limit_cases, overdue_cases
from fengqiao.followup.selectors import visits_due
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.regions.models import PATH_END, Level, Region
from fengqiao.routing.classification import classify
from fengqiao.supervision.choices import OrderStatus
from fengqiao.supervision.models import SupervisionOrder
from fengqiao.supervision.selectors import supervised_cases

DUE_SOON_DAYS = 3
RECENT_DAYS = 90
MAX_PAGE = 400
IN_HANDLING = (Status.DISPATCHED, Status.HANDLING)

WORKLISTS: dict[str, object] = {
    "to_dispatch": _("待分流"),
    "mediating": _("调解中"),
    "to_sign": _("待签收"),
    "handling": _("办理中"),
    "due_soon": _("即将超期"),
    "overdue": _("已超期"),
    "to_review": _("待审核"),
    "to_visit": _("待回访"),
    "supervised": _("督办中"),
}

ROLE_WORKLISTS: dict[str, tuple[str, ...]] = {
    Role.RECEPTIONIST: ("to_dispatch", "mediating", "overdue", "to_visit"),
    Role.DISPATCHER: (
        "to_dispatch", "to_sign", "handling", "due_soon", "overdue", "supervised", "to_visit",
    ),
    Role.HANDLER: ("to_sign", "handling", "due_soon", "overdue", "supervised"),
    Role.MEDIATOR: ("mediating", "to_dispatch"),
    Role.GRID_WORKER: ("to_dispatch", "handling"),
    Role.SUPERVISOR: ("due_soon", "overdue", "supervised"),
    Role.DIRECTOR: (
        "to_dispatch", "to_review", "due_soon", "overdue", "supervised", "to_visit",
    ),
    Role.LEADER: ("handling", "due_soon", "overdue", "supervised"),
    Role.ADMIN: ("to_dispatch", "overdue"),
}  # fmt: skip

SORTS: dict[str, tuple[str, ...]] = {
    "-registered_at": ("-registered_at", "-id"),
    "registered_at": ("registered_at", "id"),
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "-risk": ("-risk_rank", "-registered_at", "-id"),
    "code": ("code",),
}


# The states each worklist shows (the scope is narrowed to them before anything else).
WORKLIST_STATUSES: dict[str, tuple[str, ...]] = {
    "to_dispatch": (Status.REGISTERED,),
    "mediating": (Status.MEDIATING,),
    "to_sign": (Status.DISPATCHED,),
    "handling": (Status.HANDLING,),
    "due_soon": IN_HANDLING,
    "overdue": IN_HANDLING,
    "to_review": (Status.RESOLVED,),
    "to_visit": (Status.CLOSED,),
}


def scoped_cases(
    user: User, membership: Membership | None, *, statuses: tuple[str, ...] | None = None
) -> QuerySet[Case]:
    return visible_cases(
        user, membership_id=membership.id if membership else None, statuses=statuses
    )


def _handler_units(membership: Membership | None) -> Unit | None:
    if membership is not None and membership.role == Role.HANDLER:
        return membership.unit
    return None


def _owned_worklist(key: str, user: User, membership_id: int | None) -> QuerySet[Case] | None:
    """The worklists whose rules another app owns (deadlines, supervision, followup)."""
    if key == "due_soon":
        return nearing_limit_cases(user, membership_id=membership_id).order_by()
    if key == "overdue":
        return overdue_cases(user, membership_id=membership_id).order_by()
    if key == "supervised":
        return supervised_cases(user, membership_id=membership_id).order_by()
    if key == "to_visit":
        tasks = visits_due(user, membership_id=membership_id).order_by().values("case_id")
        return Case.objects.filter(pk__in=tasks)
    return None


def worklist_queryset(
    user: User, membership: Membership | None, key: str, *, now: dt.datetime | None = None
) -> QuerySet[Case]:
    """The cases of one worklist for the user's active membership."""
    now = now or timezone.now()
    owned = _owned_worklist(key, user, membership.id if membership else None)
    if owned is None:
        qs = scoped_cases(user, membership, statuses=WORKLIST_STATUSES.get(key))
    else:
        qs = owned
    unit = _handler_units(membership)
    if unit is not None and key in ("to_sign", "handling", "due_soon", "overdue"):
        qs = qs.filter(lead_unit=unit)
    if key == "to_dispatch":
        return qs.filter(status=Status.REGISTERED)
    if key == "mediating":
        return qs.filter(status=Status.MEDIATING)
    if key == "to_sign":
        return qs.filter(status=Status.DISPATCHED)
    if key == "handling":
        return qs.filter(status=Status.HANDLING)
    if owned is not None:
        return qs
    if key == "due_soon":
        return qs.filter(
            status__in=IN_HANDLING,
            is_overdue=False,
            deadline__gte=now,
            deadline__lt=now + dt.timedelta(days=DUE_SOON_DAYS),
        )
    if key == "overdue":
        return qs.filter(Q(is_overdue=True) | Q(deadline__lt=now), status__in=IN_HANDLING)
    if key == "to_review":
        return qs.filter(status=Status.RESOLVED)
    if key == "to_visit":
        return qs.filter(status=Status.CLOSED)
    if key == "supervised":
        open_orders = SupervisionOrder.objects.exclude(status=OrderStatus.CLOSED)
        return qs.filter(pk__in=open_orders.values("case_id"))
    return qs.none()


@dataclass(frozen=True)
class WorklistCount:
    key: str
    label: object
    count: int


def worklists_for(membership: Membership | None) -> tuple[str, ...]:
    if membership is None:
        return ()
    return ROLE_WORKLISTS.get(membership.role, ())


def worklist_counts(user: User, membership: Membership | None) -> list[WorklistCount]:
    """One indexed COUNT per worklist of the active role."""
    now = timezone.now()
    return [
        WorklistCount(
            key, WORKLISTS[key], worklist_queryset(user, membership, key, now=now).count()
        )
        for key in worklists_for(membership)
    ]


@dataclass
class CaseFilter(filters.CaseFilter):
    """The case list's filter: the shared one, a worklist and a sort order."""

    worklist: str = ""
    sort: str = "-registered_at"


def filter_cases(user: User, membership: Membership | None, f: CaseFilter) -> QuerySet[Case]:
    """The case list (page, partial and export): the worklist or the scope, narrowed by the
    shared filter, in the chosen order."""
    if f.worklist in WORKLISTS:
        qs = worklist_queryset(user, membership, f.worklist)
    else:
        qs = scoped_cases(user, membership)
    qs = filters.apply_filter(qs, f)
    order = SORTS.get(f.sort, SORTS["-registered_at"])
    if f.sort == "-risk":
        qs = qs.annotate(
            risk_rank=When_(
                When(risk_level="red", then=Value(3)),
                When(risk_level="yellow", then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    return qs.order_by(*order)


def page_of(qs: QuerySet[Case], number: int, per_page: int = 25) -> filters.Page:
    """One numbered page (up to :data:`MAX_PAGE`) with what the list shows: two queries."""
    applicants = Prefetch(
        "parties",
        queryset=Party.objects.filter(role=PartyRole.APPLICANT).order_by("id"),
        to_attr="applicants",
    )
    rows = qs.select_related("category", "region", "lead_unit", "center")
    return filters.paginate(
        rows.prefetch_related(applicants), limit=per_page, page=max(1, min(number, MAX_PAGE))
    )


def duplicates(
    user: User,
    membership: Membership | None,
    *,
    phones: list[str] = (),  # type: ignore[assignment]
    id_numbers: list[str] = (),  # type: ignore[assignment]
    region: Region | None = None,
    address: str = "",
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[Case]:
    """Open or recent cases with the same phone, ID number or address (重复件提醒)."""
    party_q = Q(pk__in=[])
    phone_hashes = [
        crypto.phone_hash(p) for p in phones if p and len(crypto.normalize_phone(p)) >= 7
    ]
    id_hashes = [crypto.id_number_hash(i) for i in id_numbers if i and len(i.strip()) >= 15]
    if phone_hashes:
        party_q |= Q(phone_hash__in=phone_hashes)
    if id_hashes:
        party_q |= Q(id_number_hash__in=id_hashes)
    match = Q(pk__in=[])
    if phone_hashes or id_hashes:
        match |= Q(pk__in=Party.objects.filter(party_q).values("case_id"))
    key = address_key(region, address) if region is not None and address else ""
    if key:
        match |= Q(address_key=key)
    if match == Q(pk__in=[]):
        return []
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    qs = (
        scoped_cases(user, membership)
        .filter(match)
        .filter(Q(status__in=OPEN_STATUSES) | Q(registered_at__gte=since))
        .select_related("region")
        .order_by("-registered_at")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:limit])


def registration_center(membership: Membership | None) -> Unit | None:
    """The center a case registered in this membership belongs to."""
    if membership is None:
        return None
    unit = membership.unit
    if unit.kind == UnitKind.CENTER:
        return unit
    return unit.center


LEVEL_LABELS = {
    1: _("省"),
    2: _("市"),
    3: _("县/区"),
    4: _("乡镇/街道"),
    5: _("村/社区"),
}


@dataclass(frozen=True)
class PickerLevel:
    label: object
    parent_code: str
    options: list[Region]
    selected: str
    first: bool


def region_chain(root: Region, chosen: Region | None) -> list[PickerLevel]:
    """The selects of the cascading region picker: for each level from the root's children
    down to the chosen region's children, the options and the selected code."""
    levels: list[PickerLevel] = []
    codes = chosen.ancestor_codes if chosen is not None and chosen.is_within(root) else [root.code]
    path_codes = codes[codes.index(root.code) :]
    children_of: dict[str, list[Region]] = {}
    for r in (
        Region.objects.filter(parent_id__in=path_codes)
        .order_by("code")
        .only("code", "name", "level", "parent_id")
    ):
        children_of.setdefault(r.parent_id, []).append(r)
    for i, code in enumerate(path_codes):
        children = children_of.get(code, [])
        if not children:
            break
        selected = path_codes[i + 1] if i + 1 < len(path_codes) else ""
        levels.append(
            PickerLevel(
                LEVEL_LABELS.get(children[0].level, ""), code, children, selected, first=i == 0
            )
        )
    return levels


def category_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active categories grouped by their root, for a select with optgroups."""
    cats = list(Category.objects.filter(is_active=True).select_related("parent").order_by("path"))
    groups: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for c in cats:
        top_code = c.path.split("/")[0]
        if c.parent_id is None:
            groups[top_code] = (c.display_name, [(c.pk, c.display_name)])
            continue
        group = groups.setdefault(top_code, (top_code, []))
        label = c.display_name if c.parent and c.parent.parent_id is None else c.display_full_name
        group[1].append((c.pk, label))
    return list(groups.values())


def _classified(text: str) -> list[Category]:
    """Categories routing proposes from the text, best first."""
    suggestion = classify("", text)
    codes = [code for code, _score in (suggestion.ranking or [])][:3]
    found = {c.code: c for c in Category.objects.filter(code__in=codes).select_related("parent")}
    cats = [found[c] for c in codes if c in found]
    if suggestion.category is not None and suggestion.category not in cats:
        cats.insert(0, suggestion.category)
    return cats[:3]


def case_clocks_shown(clocks: list[Clock]) -> list[dict]:
    """The case's running time limits (sign, resolve, visit) as the case page shows them."""
    out = []
    for clock in clocks:
        out.append(
            {
                "kind": TimerKind(clock.kind).label if clock.kind in TimerKind.values else "",
                "deadline": clock.deadline,
                "stage": Stage(clock.stage).label if clock.stage in Stage.values else "",
                "late": clock.stage >= Stage.OVERDUE,
                "warned": clock.stage == Stage.WARNED,
                "paused": clock.paused_since is not None,
                "pause_reason": clock.pause_reason,
                "running": clock.is_running,
                "extensions": clock.extensions,
            }
        )
    return out


def suggest_categories(text: str, limit: int = 3) -> list[Category]:
    """Categories proposed from the text of an appeal."""
    text = (text or "").strip()
    if len(text) < 4:
        return []
    found = _classified(text)
    if found:
        return found[:limit]
    hits: list[tuple[int, Category]] = []
    for cat in Category.objects.filter(is_active=True, parent__isnull=False).select_related(
        "parent"
    ):
        stem = cat.name.replace("纠纷", "").replace("争议", "").strip()
        if len(stem) >= 2 and stem in text:
            hits.append((len(stem), cat))
    hits.sort(key=lambda h: -h[0])
    return [c for _n, c in hits[:limit]]


def dispatch_units(case: Case) -> list[Unit]:
    """Units this case may be dispatched to: active units in its center's subtree."""
    return list(
        Unit.objects.filter(
            is_active=True,
            region_path__gte=case.scope_path,
            region_path__lt=case.scope_path + PATH_END,
        )
        .exclude(pk=case.center_id)
        .select_related("region")
        .order_by("region_path", "kind", "name")[:500]
    )


def target_centers(case: Case, *, up: bool) -> list[Unit]:
    """Centers above (escalate) or below (delegate) the case's center."""
    center = case.center
    qs = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).exclude(pk=center.pk)
    if up:
        codes = center.region.ancestor_codes[:-1]
        return list(qs.filter(region_id__in=codes).order_by("-region_path"))
    path = center.region_path
    return list(
        qs.filter(region_path__gt=path, region_path__lt=path + PATH_END).order_by("region_path")[
            :500
        ]
    )


_KIND_ORDER = {UnitKind.DEPARTMENT: 0, UnitKind.CENTER: 1, UnitKind.ORGANIZATION: 2}

UnitChoices = list[tuple[str, list[tuple[int, str]]]]


def unit_label(unit: Unit) -> str:
    """How a unit reads in a picker: its name, and its type where the name may not say it."""
    if unit.kind == UnitKind.DEPARTMENT and unit.unit_type:
        return f"{unit.name} · {unit.get_unit_type_display()}"
    return unit.name


def grouped_unit_choices(units: list[Unit], suggested: list[tuple[Unit, str]]) -> UnitChoices:
    """The dispatch picker's choices: the suggested units first (with why), then every other
    unit grouped by level and kind — 县级 · 职能部门, 乡镇级 · 综治中心 … — nearest level first."""
    groups: UnitChoices = []
    suggested_ids = {u.pk for u, _why in suggested}
    if suggested:
        top = [
            (u.pk, _("★ %(unit)s（%(why)s）") % {"unit": unit_label(u), "why": why}
             if why else f"★ {unit_label(u)}")
            for u, why in suggested
        ]  # fmt: skip
        groups.append((str(_("建议单位")), top))
    by_group: dict[tuple[int, int, str], list[tuple[int, str]]] = {}
    for unit in units:
        if unit.pk in suggested_ids:
            continue
        level = unit.region.level
        key = (level, _KIND_ORDER.get(unit.kind, 9), unit.kind)
        by_group.setdefault(key, []).append((unit.pk, unit_label(unit)))
    for (level, _order, kind), options in sorted(by_group.items()):
        label = f"{Level(level).label} · {UnitKind(kind).label}"
        groups.append((label, options))
    return groups


@dataclass(frozen=True)
class CodeHint:
    """A searched code whose check character does not match, and the cases in the user's
    scope one slip away from it (what was probably meant)."""

    code: str
    suggestions: list[str]


def code_hint(user: User, membership: Membership | None, text: str) -> CodeHint | None:
    code = mistyped_code(text)
    if code is None:
        return None
    near = scoped_cases(user, membership).filter(code__in=near_codes(code)).order_by("code")
    return CodeHint(code=code, suggestions=list(near.values_list("code", flat=True)[:5]))
