"""Reads of mediation, scoped.

Cases come from :func:`fengqiao.cases.selectors.visible_cases`. A user whose only role is
调解员 sees the cases they are on (a session, a request decided for them) and the open cases
of their own center waiting for mediation; their session lists hold their own sessions.
The public directory shows published, active entries only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import actor_context, visible_cases
from fengqiao.core.errors import NotFound
from fengqiao.mediation.choices import (
    AgreementStatus,
    Outcome,
    RequestStatus,
    SessionStatus,
    TransferStatus,
)
from fengqiao.mediation.models import (
    Agreement,
    Availability,
    Booking,
    Mediator,
    MediatorRequest,
    Organization,
    Package,
    PackageService,
    Pairing,
    Room,
    Session,
    Transfer,
)
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END, PATH_SEP

# Who works on mediation at a center (the window may 点单 for a citizen).
CENTER_MEDIATION_ROLES = frozenset({Role.MEDIATOR, Role.DISPATCHER, Role.DIRECTOR})
WINDOW_ROLES = frozenset({Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR, Role.MEDIATOR})
DECIDE_ROLES = frozenset({Role.DISPATCHER, Role.DIRECTOR})
MEDIATION_STATUSES = (Status.REGISTERED, Status.MEDIATING)


def path_ancestors(path: str) -> list[str]:
    """The materialized paths of a region and of every region above it."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == PATH_SEP]


def may_use_mediation(user: User) -> bool:
    """Whether the staff navigation shows 调解 (everyone with a membership: departments
    follow their transfers and package services there)."""
    return bool(user.is_authenticated and (user.is_superuser or active_memberships(user)))


def profiles_of(user: User) -> list[Mediator]:
    """The directory entries that are this user (a mediator's own profiles)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_fq_mediator_profiles", None)
    if cached is None:
        cached = list(Mediator.objects.filter(user=user, is_active=True))
        user._fq_mediator_profiles = cached
    return cached


def _only_mediator(user: User) -> bool:
    memberships = active_memberships(user)
    return bool(memberships) and all(m.role == Role.MEDIATOR for m in memberships)


def cases_on(user: User) -> Q:
    """The cases a mediator is on: a session they lead, a request decided for them."""
    ids = [m.pk for m in profiles_of(user)]
    return Q(
        Exists(Session.objects.filter(case=OuterRef("pk"), mediator_id__in=ids))
        | Exists(
            MediatorRequest.objects.filter(case=OuterRef("pk")).filter(
                Q(status=RequestStatus.CONFIRMED, mediator_id__in=ids)
                | Q(status=RequestStatus.PROPOSED, proposed_id__in=ids)
            )
        )
    )


def mediation_cases(user: User) -> QuerySet[Case]:
    """The cases this user may open in the mediation pages."""
    qs = visible_cases(user)
    if user.is_superuser or not _only_mediator(user):
        return qs
    own_centers = [m.unit_id for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER]
    waiting = Q(center_id__in=own_centers, status__in=MEDIATION_STATUSES)
    return qs.filter(cases_on(user) | waiting)


def get_case(user: User, code: str) -> Case:
    """One case by code in the user's mediation scope; out of scope looks like missing."""
    case = (
        mediation_cases(user)
        .select_related("center", "center__region", "category", "lead_unit", "region")
        .filter(code=(code or "").strip().upper()[:20])
        .first()
    )
    if case is None:
        raise NotFound(_("案件不存在或不在您的管辖范围内。"))
    return case


def roles_on(user: User, case: Case) -> dict[str, Membership]:
    """The roles the user holds with respect to this case (center roles over its subtree)."""
    return dict(actor_context(user, case).roles)


def may_decide(user: User, case: Case) -> bool:
    return user.is_superuser or bool(DECIDE_ROLES & set(roles_on(user, case)))


def may_mediate(user: User, case: Case) -> bool:
    """Schedule sessions, record outcomes and signatures on this case."""
    if user.is_superuser or DECIDE_ROLES & set(roles_on(user, case)):
        return True
    ids = {m.pk for m in profiles_of(user)}
    if not ids:
        return False
    return (
        Role.MEDIATOR in roles_on(user, case)
        or Session.objects.filter(case=case, mediator_id__in=ids).exists()
    )


# --- the directory -----------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilter:
    """One filter definition for the directory page, the portal and the API."""

    region_path: str = ""  # a center's or a region's path: entries at or under it
    center_id: int | None = None
    kind: str = ""
    specialty: str = ""  # a category code (a root covers its leaves)
    language: str = ""
    residency: str = ""
    organization_kind: str = ""
    text: str = ""


def directory(flt: DirectoryFilter, *, published_only: bool = True) -> QuerySet[Mediator]:
    """Directory entries matching the filter, each with its open workload annotated."""
    qs = Mediator.objects.filter(is_active=True)
    if published_only:
        qs = qs.filter(is_published=True)
    if flt.region_path:
        qs = qs.filter(center_path__gte=flt.region_path, center_path__lt=flt.region_path + PATH_END)
    if flt.center_id:
        qs = qs.filter(center_id=flt.center_id)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.residency:
        qs = qs.filter(residency=flt.residency)
    if flt.organization_kind:
        qs = qs.filter(organization__kind=flt.organization_kind)
    if flt.specialty:
        qs = qs.filter(
            Exists(
                Mediator.specialties.through.objects.filter(
                    mediator_id=OuterRef("pk"), category__path__startswith=_category_path(flt)
                )
            )
        )
    if flt.language:
        qs = qs.filter(languages__icontains=flt.language[:20])
    if flt.text:
        qs = qs.filter(Q(name__icontains=flt.text[:30]) | Q(title__icontains=flt.text[:30]))
    return qs.select_related("center", "organization").prefetch_related(
        "specialties", "pairings__village"
    )


def _category_path(flt: DirectoryFilter) -> str:
    cat = Category.objects.filter(code=flt.specialty[:32]).only("path").first()
    return cat.path if cat else "\x00none"


def with_workload(entries: list[Mediator]) -> list[Mediator]:
    """Set ``open_cases`` on each entry: the distinct cases it has a session to come on, or
    whose mediation it leads now (先行调解). Two reads by the entries' ids (the index on
    (status, mediator) and the cases in mediation), not a count over all their sessions."""
    ids = [m.pk for m in entries]
    live: dict[int, set[int]] = {pk: set() for pk in ids}
    if ids:
        scheduled = Session.objects.filter(status=SessionStatus.SCHEDULED, mediator_id__in=ids)
        mediating = Session.objects.filter(mediator_id__in=ids, case__status=Status.MEDIATING)
        for qs in (scheduled, mediating):
            for mediator_id, case_id in qs.order_by().values_list("mediator_id", "case_id"):
                live[mediator_id].add(case_id)
    for m in entries:
        m.open_cases = len(live.get(m.pk, ()))
    return entries


def public_mediator(pk: int) -> Mediator:
    found = directory(DirectoryFilter()).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("该调解员不存在或未公开。"))
    return with_workload([found])[0]


def availability_of(mediator: Mediator) -> list[Availability]:
    return list(mediator.availability.all())


def organizations(center: Unit | None = None) -> QuerySet[Organization]:
    qs = Organization.objects.filter(is_active=True).select_related("center")
    if center is not None:
        qs = qs.filter(center__region_path__startswith=center.region_path)
    return qs


def candidates_for(case: Case) -> QuerySet[Mediator]:
    """Whom a case may get: entries whose center covers where it happened, or lies below
    the case's center (the conflict check still applies)."""
    ancestors = path_ancestors(case.region_path)
    return directory(DirectoryFilter()).filter(
        Q(center_path__in=ancestors)
        | Q(center_path__gte=case.scope_path, center_path__lt=case.scope_path + PATH_END)
    )


def pairings_for(region_path: str) -> QuerySet[Pairing]:
    return Pairing.objects.filter(
        village__path__gte=region_path, village__path__lt=region_path + PATH_END
    ).select_related("expert", "village")


# --- one case's mediation ------------------------------------------------------------------


@dataclass
class CaseMediation:
    """Everything of one case's mediation, read with a fixed number of queries."""

    case: Case
    requests: list[MediatorRequest]
    sessions: list[Session]
    agreements: list[Agreement]
    package: Package | None
    transfers: list[Transfer]

    @property
    def assigned(self) -> Mediator | None:
        for r in self.requests:
            if r.assigned is not None:
                return r.assigned
        return None

    @property
    def open_session(self) -> Session | None:
        return next((s for s in self.sessions if s.status == SessionStatus.SCHEDULED), None)

    @property
    def last_final(self) -> Session | None:
        finals = [s for s in self.sessions if s.is_final]
        return finals[-1] if finals else None

    @property
    def awaiting_dispatch(self) -> Session | None:
        """A failed (or partly failed, with a unit for the rest) mediation whose case is
        still in 先行调解: the center's dispatcher sends it on."""
        last = self.last_final
        if self.case.status != Status.MEDIATING or last is None:
            return None
        if last.outcome == Outcome.FAILED or (
            last.outcome == Outcome.PARTIAL and last.next_unit_id
        ):
            return last
        return None

    @property
    def awaiting_settle(self) -> Agreement | None:
        if self.case.status != Status.MEDIATING:
            return None
        for a in self.agreements:
            if a.status == AgreementStatus.SIGNED and not a.session.next_unit_id:
                return a
        return None


def case_mediation(case: Case) -> CaseMediation:
    requests = list(
        MediatorRequest.objects.filter(case=case).select_related("mediator", "proposed")
    )
    sessions = list(
        Session.objects.filter(case=case)
        .select_related("mediator", "booking__room", "next_unit", "organization")
        .prefetch_related("participants")
        .order_by("round")
    )
    agreements = list(
        Agreement.objects.filter(case=case)
        .select_related("session", "confirmation__court")
        .prefetch_related("signatures")
    )
    package = (
        Package.objects.filter(case=case)
        .prefetch_related(
            Prefetch("services", queryset=PackageService.objects.select_related("unit"))
        )
        .first()
    )
    transfers = list(Transfer.objects.filter(case=case).select_related("from_unit", "to_unit"))
    return CaseMediation(case, requests, sessions, agreements, package, transfers)


# --- work lists ----------------------------------------------------------------------------


def my_sessions(user: User) -> QuerySet[Session]:
    """Sessions the user may see: their own as a mediator; every session of the cases in
    their scope otherwise."""
    qs = Session.objects.select_related("case", "mediator", "booking__room", "center")
    if user.is_superuser:
        return qs
    if _only_mediator(user):
        return qs.filter(mediator__in=profiles_of(user))
    return qs.filter(case__in=visible_cases(user).values("pk"))


def pending_requests(user: User) -> QuerySet[MediatorRequest]:
    """点单 waiting for the center's decision, in the centers where the user decides."""
    paths = [
        m.unit.region_path
        for m in active_memberships(user)
        if m.role in DECIDE_ROLES and m.unit.kind == UnitKind.CENTER
    ]
    if not paths and not user.is_superuser:
        return MediatorRequest.objects.none()
    qs = MediatorRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "case", "mediator"
    )
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(case__scope_path__gte=path, case__scope_path__lt=path + PATH_END)
    return qs.filter(q)


def loop_waiting(user: User) -> list[CaseMediation]:
    """Cases in 先行调解 whose mediation ended and that wait for the center to move them on
    (a failed mediation to dispatch, a signed agreement to settle)."""
    if not (user.is_superuser or any(m.role in DECIDE_ROLES for m in active_memberships(user))):
        return []
    cases = visible_cases(user, statuses=[Status.MEDIATING]).filter(
        Exists(
            Session.objects.filter(
                case=OuterRef("pk"), outcome__in=[Outcome.SUCCESS, Outcome.PARTIAL, Outcome.FAILED]
            )
        )
    )
    out = []
    for case in cases.select_related("center")[:50]:
        cm = case_mediation(case)
        if cm.awaiting_dispatch or cm.awaiting_settle:
            out.append(cm)
    return out


def unit_ids(user: User) -> list[int]:
    return sorted({m.unit_id for m in active_memberships(user)})


def transfers_for(user: User) -> QuerySet[Transfer]:
    """Transfers the user's units sent or received."""
    qs = Transfer.objects.select_related("case", "from_unit", "to_unit")
    if user.is_superuser:
        return qs
    ids = unit_ids(user)
    return qs.filter(Q(from_unit_id__in=ids) | Q(to_unit_id__in=ids))


def incoming_transfers(user: User) -> QuerySet[Transfer]:
    return transfers_for(user).filter(status=TransferStatus.SENT, to_unit_id__in=unit_ids(user))


def services_for(user: User) -> QuerySet[PackageService]:
    """Package services whose unit is one of the user's units (a department's sub-tasks)."""
    return PackageService.objects.filter(unit_id__in=unit_ids(user)).select_related(
        "package__case", "unit"
    )


def rooms_for(user: User) -> QuerySet[Room]:
    paths = [m.unit.region_path for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER]
    qs = Room.objects.filter(is_active=True).select_related("center")
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(center__region_path__gte=path, center__region_path__lt=path + PATH_END)
    return qs.filter(q)


def bookings_between(rooms: QuerySet[Room], start, end) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            room__in=rooms, is_cancelled=False, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("room", "session__case")
        .order_by("starts_at")
    )


def agreement_by_code(code: str) -> Agreement | None:
    """An agreement by its printed verification code (anyone may check one)."""
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]
    if len(normalized) < 8:
        return None
    return (
        Agreement.objects.filter(verification_code=normalized)
        .select_related("session__center", "session__mediator", "confirmation__court", "case")
        .first()
    )


def agreement_for(user: User, pk: int) -> Agreement:
    found = (
        Agreement.objects.filter(pk=pk, case__in=mediation_cases(user).values("pk"))
        .select_related(
            "case", "case__center", "session__mediator", "session__center", "session__organization"
        )
        .prefetch_related("signatures")
        .first()
    )
    if found is None:
        raise NotFound(_("调解协议书不存在或不在您的管辖范围内。"))
    return found


def session_for(user: User, pk: int) -> Session:
    found = (
        Session.objects.filter(pk=pk, case__in=mediation_cases(user).values("pk"))
        .select_related("case", "case__center", "mediator", "booking__room", "center")
        .prefetch_related("participants")
        .first()
    )
    if found is None:
        raise NotFound(_("调解会不存在或不在您的管辖范围内。"))
    return found


SUBMISSION_CHOICES = 40


def submission_choices(center: Unit | None) -> list[Mediator]:
    """Entries a citizen may pick while submitting: those of the QR code's center, the
    centers above it and below it; without a center, those of county-level centers."""
    qs = directory(DirectoryFilter())
    if center is not None:
        path = center.region_path
        ancestors = path_ancestors(path)
        qs = qs.filter(Q(center_path__in=ancestors) | Q(center_path__startswith=path))
    else:
        qs = qs.filter(center__region__level__lte=3)
    return list(qs.order_by("center_path", "-is_chief", "name")[:SUBMISSION_CHOICES])
