"""Reads of the centers' records, each starting from the user's scope.

A user sees the centers under the centers they hold a membership at (a county director sees
the county's, townships' and villages' centers; a province sees every center below it). A
center out of scope looks exactly like a missing one. Directors and admins of a center (or
of a center above it) manage it; leaders approve duty swaps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from fengqiao.cases.choices import OPEN_STATUSES, AssignmentStatus, RiskLevel
from fengqiao.cases.models import Case, CaseAssignment, CaseLink
from fengqiao.centers.choices import DutyPost, StaffKind
from fengqiao.centers.models import (
    CenterCheck,
    CenterStaff,
    ChecklistItem,
    DutyShift,
    Meeting,
    MeetingTask,
    Participant,
    RotationSlot,
    StaffingNorm,
)
from fengqiao.core.errors import NotFound
from fengqiao.org.choices import Residency, Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END, Level

MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
APPROVE_ROLES = frozenset({Role.DIRECTOR, Role.LEADER, Role.ADMIN})
IN_CENTER = (Residency.RESIDENT, Residency.ROTATING)


def _center_paths(user: User, roles: frozenset[str] | None = None) -> list[str]:
    paths = sorted(
        {
            m.unit.region_path
            for m in active_memberships(user)
            if m.unit.kind == UnitKind.CENTER and (roles is None or m.role in roles)
        }
    )
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(p) for p in minimal):
            minimal.append(path)
    return minimal


def _path_q(paths: list[str], field: str = "region_path") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})
    return q


def may_use_centers(user: User) -> bool:
    """Center staff use every page; department staff their reports and meeting tasks."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(active_memberships(user))


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings of the centers in scope, and those a user's unit attends or owns a task of."""
    if user.is_authenticated and user.is_superuser:
        return Meeting.objects.all()
    units = [m.unit_id for m in active_memberships(user)]
    q = Q(center__in=visible_centers(user).values("pk"))
    if units:
        q |= Q(pk__in=MeetingTask.objects.filter(owner__in=units).values("meeting_id"))
        q |= Q(pk__in=Participant.objects.filter(unit__in=units).values("meeting_id"))
    return Meeting.objects.filter(q)


def visible_centers(user: User) -> QuerySet[Unit]:
    """Every center this user may see. The one place where the read scope is decided."""
    qs = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).select_related("region")
    if user.is_authenticated and user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_path_q(_center_paths(user)))


def get_center(user: User, center_id: int) -> Unit:
    center = visible_centers(user).filter(pk=center_id).first()
    if center is None:
        raise NotFound(_("没有找到这个综治中心，或您无权查看。"))
    return center


def home_center(user: User, membership_id: int | None = None) -> Unit | None:
    """The center the user works at now (the chosen membership's, else the highest one)."""
    centers = [m for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER]
    for m in centers:
        if m.id == membership_id:
            return m.unit
    if centers:
        return min(centers, key=lambda m: (m.unit.region.level, m.id)).unit
    if user.is_authenticated and user.is_superuser:
        return Unit.objects.filter(kind=UnitKind.CENTER).order_by("region__level", "id").first()
    return None


def may_manage(user: User, center: Unit, roles: frozenset[str] = MANAGE_ROLES) -> bool:
    if user.is_superuser:
        return True
    return any(center.region_path.startswith(p) for p in _center_paths(user, roles))


def may_inspect(user: User, center: Unit) -> bool:
    """Inspections are recorded by a director of a center above this one."""
    if user.is_superuser:
        return True
    return any(
        center.region_path.startswith(p) and p != center.region_path
        for p in _center_paths(user, MANAGE_ROLES)
    )


# --- standardization -----------------------------------------------------------------------


def checklist_for(center: Unit) -> list[tuple[ChecklistItem, CenterCheck | None]]:
    items = [i for i in ChecklistItem.objects.filter(is_active=True) if i.applies_to(center.level)]
    checks = {c.item_id: c for c in CenterCheck.objects.filter(center=center)}
    return [(i, checks.get(i.pk)) for i in items]


@dataclass
class Compliance:
    center: Unit
    met: set[int] = field(default_factory=set)
    points: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return round(100 * self.points / self.total, 1) if self.total else 0.0


def compliance(centers: list[Unit]) -> tuple[list[ChecklistItem], list[Compliance]]:
    """Which of these centers meet which checklist items: two queries whatever their number."""
    items = list(ChecklistItem.objects.filter(is_active=True))
    met: dict[int, set[int]] = defaultdict(set)
    for center_id, item_id in CenterCheck.objects.filter(
        center__in=[c.pk for c in centers], met=True
    ).values_list("center_id", "item_id"):
        met[center_id].add(item_id)
    # Per level once: the points of each applicable item and their total.
    by_level: dict[int, tuple[dict[int, int], int]] = {}
    rows = []
    for c in centers:
        level = c.region.level
        if level not in by_level:
            points = {i.pk: i.points for i in items if i.applies_to(level)}
            by_level[level] = (points, sum(points.values()))
        points, total = by_level[level]
        row = Compliance(c, met[c.pk], total=total)
        row.points = sum(points.get(i, 0) for i in row.met)
        rows.append(row)
    return items, rows


@dataclass
class LevelRollup:
    level: int
    label: str
    centers: int = 0
    fully_met: int = 0
    share_sum: float = 0.0
    item_met: dict[int, int] = field(default_factory=dict)

    @property
    def average(self) -> float:
        return round(self.share_sum / self.centers, 1) if self.centers else 0.0


def compliance_by_level(rows: list[Compliance], items: list[ChecklistItem]) -> list[LevelRollup]:
    out: dict[int, LevelRollup] = {}
    for r in rows:
        level = r.center.region.level
        roll = out.setdefault(level, LevelRollup(level, str(Level(level).label)))
        roll.centers += 1
        roll.share_sum += r.share
        roll.fully_met += 1 if r.total and r.points == r.total else 0
        for i in items:
            if i.pk in r.met:
                roll.item_met[i.pk] = roll.item_met.get(i.pk, 0) + 1
    return [out[k] for k in sorted(out)]


# --- staffing and residency ----------------------------------------------------------------


@dataclass
class Staffing:
    center: Unit
    full_time: int
    seconded: int
    part_time: int
    norm: StaffingNorm | None
    departments: int
    in_center: int

    @property
    def meets_norm(self) -> bool:
        return self.norm is None or self.full_time >= self.norm.min_full_time

    @property
    def residency_rate(self) -> float:
        return round(100 * self.in_center / self.departments, 1) if self.departments else 0.0

    @property
    def meets_residency(self) -> bool:
        return self.norm is None or self.residency_rate >= self.norm.residency_target


def staffing(centers: list[Unit], on: dt.date) -> list[Staffing]:
    """Staff against the norm and the 入驻率 (常驻+轮驻 over the linked departments) per center."""
    ids = [c.pk for c in centers]
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        CenterStaff.objects.filter(center__in=ids, started_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .values("center_id", "kind")
        .annotate(n=Count("id"))
    ):
        counts[(row["center_id"], row["kind"])] = row["n"]
    depts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        Unit.objects.filter(center__in=ids, is_active=True)
        .values("center_id", "residency")
        .annotate(n=Count("id"))
    ):
        depts[row["center_id"]][0] += row["n"]
        if row["residency"] in IN_CENTER:
            depts[row["center_id"]][1] += row["n"]
    norms = {n.level: n for n in StaffingNorm.objects.all()}
    return [
        Staffing(
            c,
            counts[(c.pk, StaffKind.FULL_TIME)],
            counts[(c.pk, StaffKind.SECONDED)],
            counts[(c.pk, StaffKind.PART_TIME)],
            norms.get(c.region.level),
            depts[c.pk][0],
            depts[c.pk][1],
        )
        for c in centers
    ]


def residency_by_level(rows: list[Staffing]) -> list[dict]:
    out: dict[int, dict] = {}
    for r in rows:
        level = r.center.region.level
        d = out.setdefault(
            level,
            {
                "level": level,
                "label": str(Level(level).label),
                "centers": 0,
                "departments": 0,
                "in_center": 0,
                "staff_ok": 0,
                "seconded": 0,
            },
        )
        d["centers"] += 1
        d["departments"] += r.departments
        d["in_center"] += r.in_center
        d["staff_ok"] += 1 if r.meets_norm else 0
        d["seconded"] += r.seconded
    for d in out.values():
        d["rate"] = round(100 * d["in_center"] / d["departments"], 1) if d["departments"] else 0.0
    return [out[k] for k in sorted(out)]


def staff_of(center: Unit, on: dt.date) -> QuerySet[CenterStaff]:
    return (
        CenterStaff.objects.filter(center=center, started_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("home_unit")
    )


def departments_of(center: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(center=center, is_active=True).order_by("residency", "name")


def rotation_week(center: Unit) -> list[list[Unit]]:
    """The rotating departments in the center on each weekday (Monday first)."""
    week: list[list[Unit]] = [[] for _ in range(7)]
    for slot in (
        RotationSlot.objects.filter(center=center).select_related("unit").order_by("unit__name")
    ):
        week[slot.weekday].append(slot.unit)
    return week


@dataclass
class DayBoard:
    day: dt.date
    duty: list[DutyShift]
    resident: list[Unit]
    rotating: list[Unit]
    on_call: list[Unit]
    seconded: list[CenterStaff]


def day_board(center: Unit, day: dt.date) -> DayBoard:
    """Who is on duty and in the center on ``day``: the public board's content."""
    depts = list(departments_of(center))
    today_rotating = {
        s.unit_id for s in RotationSlot.objects.filter(center=center, weekday=day.weekday())
    }
    return DayBoard(
        day,
        list(duty_on(center, day)),
        [d for d in depts if d.residency == Residency.RESIDENT],
        [d for d in depts if d.residency == Residency.ROTATING and d.pk in today_rotating],
        [d for d in depts if d.residency == Residency.ON_CALL],
        list(staff_of(center, day).filter(kind=StaffKind.SECONDED)),
    )


# --- duty ----------------------------------------------------------------------------------

POST_ORDER = {p: i for i, p in enumerate(DutyPost.values)}


def duty_on(center: Unit, day: dt.date) -> list[DutyShift]:
    shifts = DutyShift.objects.filter(center=center, day=day).select_related("user")
    return sorted(shifts, key=lambda s: POST_ORDER[s.post])


def roster(
    center: Unit, start: dt.date, days: int = 7
) -> list[tuple[dt.date, dict[str, DutyShift]]]:
    by_day: dict[dt.date, dict[str, DutyShift]] = defaultdict(dict)
    for s in DutyShift.objects.filter(
        center=center, day__gte=start, day__lt=start + dt.timedelta(days=days)
    ).select_related("user"):
        by_day[s.day][s.post] = s
    return [
        (start + dt.timedelta(days=i), by_day[start + dt.timedelta(days=i)]) for i in range(days)
    ]


def center_staff_users(center: Unit) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__unit=center, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


# --- meetings: the agenda drawn from cases -------------------------------------------------


def cases_of(center: Unit) -> QuerySet[Case]:
    return Case.objects.under_center_path(center.region_path)


def draw_agenda(
    center: Unit, start: dt.date, end: dt.date, *, limit: int = 30
) -> list[tuple[Case, list[str]]]:
    """The cases of the period a meeting should weigh: red, overdue, handled by several
    departments, or repeated (linked as the same party or a duplicate), most reasons first.

    A case counts if registered in the period, or still open at its end."""
    base = (
        cases_of(center)
        .filter(registered_at__date__lte=end)
        .filter(Q(registered_at__date__gte=start) | Q(status__in=OPEN_STATUSES))
    )
    reasons: dict[int, list[str]] = defaultdict(list)
    for pk in base.filter(risk_level=RiskLevel.RED).values_list("pk", flat=True)[:500]:
        reasons[pk].append("red")
    for pk in base.filter(is_overdue=True).values_list("pk", flat=True)[:500]:
        reasons[pk].append("overdue")
    multi = (
        CaseAssignment.objects.filter(case__in=base.values("pk"))
        .exclude(status__in=[AssignmentStatus.CANCELLED, AssignmentStatus.RETURNED])
        .values("case_id")
        .annotate(n=Count("unit_id", distinct=True))
        .filter(n__gt=1)
        .values_list("case_id", flat=True)[:500]
    )
    for pk in multi:
        reasons[pk].append("multi_department")
    repeated = (
        CaseLink.objects.filter(case__in=base.values("pk"), kind__in=["same_party", "duplicate"])
        .values_list("case_id", flat=True)
        .distinct()[:500]
    )
    for pk in repeated:
        reasons[pk].append("repeated")
    ranked = sorted(reasons.items(), key=lambda kv: (-len(kv[1]), -kv[0]))[:limit]
    cases = Case.objects.in_bulk([pk for pk, _r in ranked])
    return [(cases[pk], r) for pk, r in ranked if pk in cases]
