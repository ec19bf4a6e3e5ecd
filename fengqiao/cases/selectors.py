"""Reads of cases, starting from the one scoping function every view and endpoint uses.

A user sees the cases whose center lies in the region subtree of a center they belong to,
and the cases assigned to a (non-center) unit they belong to. A case out of scope looks
exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from fengqiao.cases import workflow
from fengqiao.cases.choices import AssignmentRole, AssignmentStatus
from fengqiao.cases.codes import normalize_code
from fengqiao.cases.models import Case, CaseAssignment, Category, Party
from fengqiao.core import crypto, refcache
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END

READ_ONLY_ROLES = frozenset({Role.LEADER})
# The roles that may register a case at a center (受理).
REGISTER_ROLES = frozenset(
    {Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR, Role.GRID_WORKER, Role.MEDIATOR}
)


def active_category(code: str) -> Category | None:
    """The active category with this code, or None (a reference row: from the per-process
    cache, :mod:`fengqiao.core.refcache`)."""
    if not code:
        return None
    return refcache.cached(
        f"category:{code}", lambda: Category.objects.filter(code=code, is_active=True).first()
    )


def registration_membership(user: User, center: Unit) -> Membership | None:
    """The membership that lets this user register a case for this center, if any."""
    for m in active_memberships(user):
        if (
            m.role in REGISTER_ROLES
            and m.unit.kind == UnitKind.CENTER
            and center.region_path.startswith(m.unit.region_path)
        ):
            return m
    return None


def _scope_q(memberships: list[Membership]) -> Q | None:
    center_paths = sorted(
        {m.unit.region_path for m in memberships if m.unit.kind == UnitKind.CENTER}
    )
    # A path inside another path adds nothing.
    minimal: list[str] = []
    for path in center_paths:
        if not any(path.startswith(p) for p in minimal):
            minimal.append(path)
    unit_ids = sorted({m.unit_id for m in memberships if m.unit.kind != UnitKind.CENTER})
    q = Q(pk__in=[])
    for path in minimal:
        q |= Q(scope_path__gte=path, scope_path__lt=path + PATH_END)
    if unit_ids:
        q |= Q(
            pk__in=CaseAssignment.objects.filter(
                unit_id__in=unit_ids, status__in=ACTIVE_ASSIGNMENT
            ).values("case_id")
        )
    return q


ACTIVE_ASSIGNMENT = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPORTED)
UNIT_IDS_INLINE = 5000  # above this, a unit's cases are given to the database as a subquery


def visible_cases(
    user: User, *, membership_id: int | None = None, statuses: Collection[str] | None = None
) -> QuerySet[Case]:
    """Every case this user may see. The one place where read scope is decided.

    ``statuses`` narrows the result to cases in those states. Callers that list current
    work (worklists, ``?status=handling``) should pass it: for department staff the scope is
    then built from the unit's cases in those states only, so it stays the size of the
    current workload instead of growing with the unit's whole history.
    """
    qs = Case.objects.all()
    if statuses is not None:
        qs = qs.filter(status__in=sorted(statuses))
    if user.is_authenticated and user.is_superuser and membership_id is None:
        return qs
    memberships = active_memberships(user, membership_id)
    if not memberships:
        return qs.none()
    if all(m.unit.kind != UnitKind.CENTER for m in memberships):
        # Department staff see their unit's cases: a few thousand among millions. Given a
        # subquery, PostgreSQL walks all cases newest first testing each one (400-800 ms
        # at a million cases); given the ids, it fetches just those and sorts them.
        assignments = CaseAssignment.objects.filter(
            unit_id__in=sorted({m.unit_id for m in memberships}),
            status__in=ACTIVE_ASSIGNMENT,
        )
        if statuses is not None:
            assignments = assignments.filter(case_status__in=sorted(statuses))
        ids = list(assignments.order_by().values_list("case_id", flat=True)[: UNIT_IDS_INLINE + 1])
        if len(ids) <= UNIT_IDS_INLINE:
            return qs.filter(pk__in=ids)
    return qs.filter(_scope_q(memberships))


@dataclass
class ActorContext:
    """The roles a user holds with respect to one case, and the unit each comes from."""

    roles: dict[str, Membership] = field(default_factory=dict)

    def has(self, roles: frozenset[str]) -> Membership | None:
        for role in roles:
            if role in self.roles:
                return self.roles[role]
        return None


def actor_context(user: User, case: Case, *, membership_id: int | None = None) -> ActorContext:
    """Which roles apply to this case: center roles over its center's subtree, unit roles
    for the units assigned to it."""
    ctx = ActorContext()
    assigned_units = None
    for m in active_memberships(user, membership_id):
        unit = m.unit
        if unit.kind == UnitKind.CENTER and case.scope_path.startswith(unit.region_path):
            if m.role == Role.HANDLER and case.lead_unit_id not in (None, unit.id):
                # A center's handler acts on the cases led by that center.
                continue
            ctx.roles.setdefault(m.role, m)
        elif unit.kind != UnitKind.CENTER:
            if assigned_units is None:
                assigned_units = set(
                    case.assignments.filter(status__in=ACTIVE_ASSIGNMENT).values_list(
                        "unit_id", flat=True
                    )
                )
            if unit.id in assigned_units:
                ctx.roles.setdefault(m.role, m)
    return ctx


DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.DIRECTOR})


def pending_co_unit(user: User, case: Case, *, membership_id: int | None = None) -> Unit | None:
    """The unit of the user's (as handler) whose co-handling part of the case is still to be
    reported, if any."""
    units = {
        m.unit_id: m.unit for m in active_memberships(user, membership_id) if m.role == Role.HANDLER
    }
    if not units:
        return None
    pending = case.assignments.filter(
        role=AssignmentRole.CO,
        status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED],
        unit_id__in=list(units),
    ).values_list("unit_id", flat=True)
    return next((units[u] for u in pending), None)


def may_release_co_handler(user: User, case: Case, *, membership_id: int | None = None) -> bool:
    """The case center's dispatchers and directors may release a co-handling unit."""
    membership = actor_context(user, case, membership_id=membership_id).has(DISPATCH_ROLES)
    return membership is not None and membership.unit.kind == UnitKind.CENTER


def allowed_transitions(
    user: User, case: Case, *, membership_id: int | None = None
) -> list[tuple[workflow.Transition, Membership]]:
    """The status changes this user may make on this case now, with the membership used."""
    ctx = actor_context(user, case, membership_id=membership_id)
    out = []
    for transition in workflow.actions_from(case.status):
        membership = ctx.has(transition.roles)
        if membership is None:
            continue
        if transition.scope == workflow.LEAD_UNIT_SCOPE and membership.unit_id != case.lead_unit_id:
            continue
        out.append((transition, membership))
    return out


def search_cases(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Search by code, party phone/ID (exact, via keyed hash), party name, title or text."""

    text = (text or "").strip()
    if not text:
        return qs
    code = normalize_code(text)
    if len(code) == 20 and code[:19].isdigit():
        return qs.filter(code=code)
    digits = crypto.normalize_phone(text)
    if digits.isdigit() and len(digits) >= 7 and digits == text.replace(" ", "").lstrip("+"):
        return qs.filter(parties__phone_hash=crypto.phone_hash(digits)).distinct()
    id_value = crypto.normalize_id_number(text)
    if len(id_value) == 18 and id_value[:17].isdigit():
        return qs.filter(parties__id_number_hash=crypto.id_number_hash(id_value)).distinct()
    return qs.filter(
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(address__icontains=text)
        # The ids, not a subquery: inside an OR a subquery keeps PostgreSQL from using any
        # index (8 s for a rare word over a province at a million cases; 0.25 ms this way).
        # Unordered: ordered by case, PostgreSQL walks every party instead of the name index
        # (0.8 s at ten million cases).
        | Q(
            pk__in=list(
                Party.objects.filter(name=text).order_by().values_list("case_id", flat=True)[:500]
            )
        )
    )
