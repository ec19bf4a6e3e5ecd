"""Reads for worklists and case pages: nearing the limit (即将超期), overdue (已超期), the
clocks of a case, and the calendar years admins still have to enter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import actor_context, visible_cases
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.deadlines.choices import ExtensionStatus, Stage, TimerKind
from fengqiao.deadlines.models import CaseTimer, ExtensionRequest
from fengqiao.org.choices import Role
from fengqiao.org.models import User

RUNNING_STATUSES = (Status.DISPATCHED, Status.HANDLING)


def with_clock(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate cases with their resolve clock: ``clock_stage``, ``clock_note`` (the
    Mon–Fri fallback warning), ``clock_paused_since`` and ``clock_warn_at``."""
    timer = CaseTimer.objects.filter(case=OuterRef("pk"), kind=TimerKind.RESOLVE)
    return qs.annotate(
        clock_stage=Subquery(timer.values("stage")[:1]),
        clock_note=Subquery(timer.values("note")[:1]),
        clock_paused_since=Subquery(timer.values("paused_since")[:1]),
        clock_warn_at=Subquery(timer.values("warn_at")[:1]),
    )


def nearing_limit_cases(user: User, *, membership_id: int | None = None) -> QuerySet[Case]:
    """即将超期: open cases past the warning share of their limit and not yet overdue."""
    warned = CaseTimer.objects.filter(
        case=OuterRef("pk"),
        kind=TimerKind.RESOLVE,
        stage=Stage.WARNED,
        is_running=True,
        paused_since__isnull=True,
    )
    return (
        visible_cases(user, membership_id=membership_id, statuses=RUNNING_STATUSES)
        .filter(is_overdue=False)
        .filter(Exists(warned))
        .order_by("deadline", "id")
    )


def overdue_cases(user: User, *, membership_id: int | None = None) -> QuerySet[Case]:
    """已超期: cases being handled past their deadline."""
    return (
        visible_cases(user, membership_id=membership_id, statuses=RUNNING_STATUSES)
        .filter(is_overdue=True)
        .order_by("deadline", "id")
    )


def deadline_counts(user: User, *, membership_id: int | None = None) -> dict[str, int]:
    """Counts for the worklist tabs: {"nearing": n, "overdue": n}."""
    return {
        "nearing": nearing_limit_cases(user, membership_id=membership_id).count(),
        "overdue": overdue_cases(user, membership_id=membership_id).count(),
    }


@dataclass(frozen=True)
class Clock:
    kind: str
    deadline: dt.datetime
    stage: int
    is_running: bool
    paused_since: dt.datetime | None
    pause_reason: str
    note: str
    extensions: int


def case_clocks(case: Case) -> list[Clock]:
    """The clocks of one case (the caller has already checked that the user may see it)."""
    return [
        Clock(
            t.kind,
            t.deadline,
            t.stage,
            t.is_running,
            t.paused_since,
            t.pause_reason,
            t.note,
            t.extensions,
        )
        for t in CaseTimer.objects.filter(case=case).order_by("kind")
    ]


def extension_requests(
    user: User, *, status: str | None = ExtensionStatus.PENDING, membership_id: int | None = None
) -> QuerySet[ExtensionRequest]:
    """Extension requests on the cases this user may see (pending ones by default)."""
    qs = ExtensionRequest.objects.filter(
        case__in=visible_cases(user, membership_id=membership_id)
    ).select_related("case", "unit", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def missing_calendar_years(*, today: dt.date | None = None) -> list[int]:
    """This year and next year when neither an admin nor the package knows their official
    schedule: admins are warned until they enter them."""
    today = today or timezone.localdate()
    calendar = load_calendar([today.year, today.year + 1])
    return [y for y in (today.year, today.year + 1) if calendar.source(y) == "fallback"]


def report_clock(case: Case) -> CaseTimer | None:
    """The running progress-report clock of a case (None when no report is required)."""
    return CaseTimer.objects.filter(case=case, kind=TimerKind.REPORT, is_running=True).first()


def can_report_progress(user: User, case: Case) -> bool:
    """Whether this user may report the case's progress: a handler of its lead unit while
    it is in handling (what ``services.report_progress`` allows)."""
    if case.status != Status.HANDLING or not user.is_authenticated:
        return False
    membership = actor_context(user, case).has(frozenset({Role.HANDLER}))
    return membership is not None and membership.unit_id == case.lead_unit_id
