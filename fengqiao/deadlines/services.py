"""Writes on clocks: start and stop them with the case loop, pause and resume them, extend a
deadline on request, enter a year's official schedule, and sweep for warnings and overdue.

The sweep reads only the timers whose next milestone has passed (``next_check_at``), so its
cost follows the number of cases that change state, not the number of open cases; each
milestone is written once (``TimerStage``), so a sweep run twice, or two at once, sends
nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.choices import Action, RiskLevel, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.selectors import actor_context
from fengqiao.cases.services import record_event, update_case
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines import notify
from fengqiao.deadlines.calendar import WorkCalendar, load_calendar
from fengqiao.deadlines.choices import Counting, DayKind, ExtensionStatus, Stage, TimerKind
from fengqiao.deadlines.models import (
    CalendarDay,
    CalendarYear,
    CaseTimer,
    ExtensionRequest,
    TimerStage,
)
from fengqiao.deadlines.rules import limits_for
from fengqiao.deadlines.selectors import missing_calendar_years
from fengqiao.org.choices import Role
from fengqiao.org.models import User

logger = logging.getLogger(__name__)
PAUSE_ROLES = frozenset({Role.HANDLER, Role.DISPATCHER, Role.DIRECTOR})
REQUEST_ROLES = frozenset({Role.HANDLER})
DECIDE_ROLES = frozenset({Role.DISPATCHER, Role.DIRECTOR})


# Timers ---------------------------------------------------------------------------------


def _milestones(
    calendar: WorkCalendar,
    started_at: dt.datetime,
    deadline: dt.datetime,
    counting: str,
    share: float,
) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """Warning at ``share`` of the limit; overdue by half the limit again; by a whole limit."""
    total = calendar.elapsed(started_at, deadline, counting)
    warn_at = calendar.advance(started_at, total * share, counting)
    severe_at = calendar.advance(deadline, total * 0.5, counting)
    critical_at = calendar.advance(deadline, total, counting)
    return min(warn_at, deadline), severe_at, critical_at


def _milestone_list(timer: CaseTimer) -> list[tuple[int, dt.datetime]]:
    points = [(Stage.WARNED, timer.warn_at), (Stage.OVERDUE, timer.deadline)]
    if timer.kind == TimerKind.RESOLVE:
        points += [(Stage.SEVERE, timer.severe_at), (Stage.CRITICAL, timer.critical_at)]
    return points


def _next_check(timer: CaseTimer) -> dt.datetime | None:
    if not timer.is_running or timer.paused_since is not None:
        return None
    for stage, at in _milestone_list(timer):
        if stage > timer.stage:
            return at
    return None


def _lock_timer(case_id: int, kind: str) -> CaseTimer | None:
    return CaseTimer.objects.select_for_update().filter(case_id=case_id, kind=kind).first()


def start_timer(
    *,
    case: Case,
    kind: str,
    started_at: dt.datetime,
    deadline: dt.datetime,
    limit_days: int,
    counting: str,
    warn_share: float,
    note: str = "",
    event_id: int = 0,
    calendar: WorkCalendar | None = None,
    warn_at: dt.datetime | None = None,
) -> CaseTimer:
    """Start (or restart, as a new period) one clock of a case (``warn_at`` overrides the
    warning computed from ``warn_share``)."""
    calendar = calendar or load_calendar()
    share_warn_at, severe_at, critical_at = _milestones(
        calendar, started_at, deadline, counting, float(warn_share)
    )
    warn_at = min(warn_at, deadline) if warn_at is not None else share_warn_at
    with transaction.atomic():
        timer = _lock_timer(case.pk, kind)
        if timer is None:
            timer = CaseTimer(case=case, kind=kind, period=0)
        timer.period += 1
        timer.counting = counting
        timer.limit_days = limit_days
        timer.warn_share = warn_share
        timer.started_at = started_at
        timer.deadline = deadline
        timer.warn_at, timer.severe_at, timer.critical_at = warn_at, severe_at, critical_at
        timer.stage = Stage.RUNNING
        timer.is_running = True
        timer.paused_since = None
        timer.pause_reason = ""
        timer.paused_seconds = 0
        timer.warned_at = timer.overdue_at = None
        timer.extensions = 0
        timer.note = note[:200]
        timer.last_event_id = max(timer.last_event_id, event_id)
        timer.next_check_at = _next_check(timer)
        timer.save()
    return timer


def _retarget(
    timer: CaseTimer, new_deadline: dt.datetime, calendar: WorkCalendar, now: dt.datetime
) -> None:
    """Move a running clock to a new deadline, as a new period: what was reached before
    (overdue, supervision) belongs to the old one. A warning already due is not re-sent."""
    timer.period += 1
    timer.deadline = new_deadline
    timer.warn_at, timer.severe_at, timer.critical_at = _milestones(
        calendar, timer.started_at, new_deadline, timer.counting, float(timer.warn_share)
    )
    timer.stage = Stage.WARNED if timer.warn_at <= now else Stage.RUNNING
    timer.overdue_at = None
    timer.note = (calendar.note() or timer.note)[:200]
    timer.next_check_at = _next_check(timer)
    timer.save()


def _set_running(case_id: int, kinds: Iterable[str], running: bool, event_id: int = 0) -> None:
    with transaction.atomic():
        for timer in CaseTimer.objects.select_for_update().filter(
            case_id=case_id, kind__in=list(kinds)
        ):
            if event_id and timer.last_event_id >= event_id:
                continue
            timer.is_running = running
            timer.last_event_id = max(timer.last_event_id, event_id)
            timer.next_check_at = _next_check(timer)
            timer.save(update_fields=["is_running", "last_event_id", "next_check_at"])


# Reacting to the case loop (after commit) ---------------------------------------------

STOP_ALL = {Action.RETURN, Action.ESCALATE, Action.DELEGATE, Action.REJECT, Action.WITHDRAW}


def on_case_event(event: CaseEvent) -> None:
    """Start, stop or restart the clocks as the case moves (an after-commit handler)."""
    action = event.action
    if action == Action.DISPATCH:
        _on_dispatch(event)
    elif action == Action.SIGN:
        _set_running(event.case_id, [TimerKind.SIGN], False, event.pk)
        _start_report_clock(event)
    elif action == Action.PROGRESS_REPORT:
        _start_report_clock(event)
    elif action in (Action.RESOLVE, Action.ANSWER, Action.SETTLE):
        kinds = [TimerKind.SIGN, TimerKind.RESOLVE, TimerKind.REPORT]
        _set_running(event.case_id, kinds, False, event.pk)
    elif action == Action.SEND_BACK:
        _set_running(event.case_id, [TimerKind.RESOLVE], True, event.pk)
        _start_report_clock(event)
    elif action in STOP_ALL:
        _set_running(event.case_id, list(TimerKind.values), False, event.pk)
    elif action == Action.CLOSE:
        _on_close(event)
    elif action == Action.REOPEN:
        _on_reopen(event)
    elif action == Action.ARCHIVE:
        _set_running(event.case_id, list(TimerKind.values), False, event.pk)
    elif action == Action.UPDATE:
        changes = (event.data or {}).get("changes", {})
        if "deadline" in changes:
            _on_deadline_changed(event)
        if "risk_level" in changes:
            _start_report_clock(event)


def _on_deadline_changed(event: CaseEvent) -> None:
    """Someone set the case's deadline directly: the clock follows (its own changes, made
    with the clock already moved, find nothing to do)."""
    with transaction.atomic():
        timer = _lock_timer(event.case_id, TimerKind.RESOLVE)
        if timer is None or not timer.is_running:
            return
        deadline = Case.objects.filter(pk=event.case_id).values_list("deadline", flat=True).first()
        if deadline is None or deadline == timer.deadline:
            return
        _retarget(timer, deadline, load_calendar(), event.created_at)
        if timer.stage < Stage.OVERDUE:
            # The case is no longer overdue under its new deadline.
            transaction.on_commit(
                lambda: update_case(
                    case=event.case_id,
                    changes={"is_overdue": False},
                    actor=sweep_actor("deadline_sweep"),
                    note=_("期限已调整"),
                )
            )


def _already_seen(case_id: int, kind: str, event_id: int) -> bool:
    return CaseTimer.objects.filter(
        case_id=case_id, kind=kind, last_event_id__gte=event_id
    ).exists()


def _on_dispatch(event: CaseEvent) -> None:
    if _already_seen(event.case_id, TimerKind.RESOLVE, event.pk):
        return
    case = Case.objects.select_related("category").get(pk=event.case_id)
    if case.deadline is None:
        return
    limits = limits_for(case)
    calendar = load_calendar()
    note = (event.data or {}).get("deadline_note", "")
    _set_running(case.pk, [TimerKind.VISIT], False, event.pk)
    if case.sign_deadline is not None:
        start_timer(
            case=case,
            kind=TimerKind.SIGN,
            started_at=event.created_at,
            deadline=case.sign_deadline,
            limit_days=limits.sign_days,
            counting=limits.counting,
            warn_share=limits.warn_share,
            note=note,
            event_id=event.pk,
            calendar=calendar,
        )
    start_timer(
        case=case,
        kind=TimerKind.RESOLVE,
        started_at=event.created_at,
        deadline=case.deadline,
        limit_days=limits.resolve_days,
        counting=limits.counting,
        warn_share=limits.warn_share,
        note=note,
        event_id=event.pk,
        calendar=calendar,
    )


REPORT_WARN_TIME = dt.time(8, 0)


def _report_every(case: Case) -> int | None:
    """Working days between progress reports for this case now (None: no reports due): a
    red case in handling whose time-limit rule sets ``report_every_days``."""
    if case.risk_level != RiskLevel.RED or case.status != Status.HANDLING:
        return None
    return limits_for(case).report_every_days


def _start_report_clock(event: CaseEvent) -> None:
    """A red case's progress-report clock: N working days from its first response (签收),
    then from each progress report; stopped when the case is no longer red or in handling.
    The handler is warned on the day the report is due; the day after, it is overdue."""
    if _already_seen(event.case_id, TimerKind.REPORT, event.pk):
        return
    case = Case.objects.select_related("category").get(pk=event.case_id)
    every = _report_every(case)
    if not every:
        _set_running(case.pk, [TimerKind.REPORT], False, event.pk)
        return
    calendar = load_calendar()
    due_day = calendar.nth_workday_after(timezone.localtime(event.created_at).date(), every)
    start_timer(
        case=case,
        kind=TimerKind.REPORT,
        started_at=event.created_at,
        deadline=calendar.deadline_after(event.created_at, every, Counting.WORKING),
        # 08:00 on the day the report is due.
        warn_at=timezone.make_aware(dt.datetime.combine(due_day, REPORT_WARN_TIME)),
        limit_days=every,
        counting=Counting.WORKING,
        warn_share=0.75,
        note=calendar.note(),
        event_id=event.pk,
        calendar=calendar,
    )


def _on_close(event: CaseEvent) -> None:
    kinds = [TimerKind.SIGN, TimerKind.RESOLVE, TimerKind.REPORT]
    _set_running(event.case_id, kinds, False, event.pk)
    if _already_seen(event.case_id, TimerKind.VISIT, event.pk):
        return
    case = Case.objects.select_related("category").get(pk=event.case_id)
    limits = limits_for(case)
    calendar = load_calendar()
    deadline = calendar.deadline_after(event.created_at, limits.visit_days, limits.counting)
    start_timer(
        case=case,
        kind=TimerKind.VISIT,
        started_at=event.created_at,
        deadline=deadline,
        limit_days=limits.visit_days,
        counting=limits.counting,
        warn_share=limits.warn_share,
        note=calendar.note(),
        event_id=event.pk,
        calendar=calendar,
    )


def _on_reopen(event: CaseEvent) -> None:
    """A reopened case gets a new handling period from the day it was reopened."""
    _set_running(event.case_id, [TimerKind.VISIT], False, event.pk)
    with transaction.atomic():
        timer = _lock_timer(event.case_id, TimerKind.RESOLVE)
        if timer is not None and timer.last_event_id >= event.pk:
            return
        case = Case.objects.select_related("category").get(pk=event.case_id)
        limits = limits_for(case)
        calendar = load_calendar()
        deadline = calendar.deadline_after(event.created_at, limits.resolve_days, limits.counting)
        note = calendar.note()
        update_case(
            case=case,
            changes={"deadline": deadline, "is_overdue": False},
            actor=sweep_actor("deadline_sweep"),
            note=_("重新办理，重新计算办理时限。") + note,
            now=event.created_at,
        )
        start_timer(
            case=case,
            kind=TimerKind.RESOLVE,
            started_at=event.created_at,
            deadline=deadline,
            limit_days=limits.resolve_days,
            counting=limits.counting,
            warn_share=limits.warn_share,
            note=note,
            event_id=event.pk,
            calendar=calendar,
        )


# Pausing (补充材料) -------------------------------------------------------------------------


def _check_role(actor: User, case: Case, roles: frozenset[str], message: str):
    membership = actor_context(actor, case).has(roles)
    if membership is None:
        raise PermissionDenied(message)
    if membership.role == Role.HANDLER and membership.unit_id != case.lead_unit_id:
        raise PermissionDenied(message)
    return membership


@transaction.atomic
def pause_clock(
    *, case: Case, actor: User, reason: str, now: dt.datetime | None = None
) -> CaseTimer:
    """Stop the clocks while waiting for the citizen (e.g. 补充材料); the reason is recorded."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写暂停计时的原因。"), field="reason")
    membership = _check_role(actor, case, PAUSE_ROLES, _("您无权暂停该案件的计时。"))
    timers = list(CaseTimer.objects.select_for_update().filter(case=case, is_running=True))
    resolve = next((t for t in timers if t.kind == TimerKind.RESOLVE), None)
    if resolve is None or case.status not in (Status.DISPATCHED, Status.HANDLING):
        raise Conflict(_("该案件当前没有在计时的办理时限。"), code="no_running_clock")
    if resolve.paused_since is not None:
        raise Conflict(_("计时已暂停。"), code="already_paused")
    for timer in timers:
        timer.paused_since = now
        timer.pause_reason = reason[:200]
        timer.next_check_at = None
        timer.save(update_fields=["paused_since", "pause_reason", "next_check_at"])
    record_event(
        case=case,
        action=Action.COMMENT,
        actor=actor,
        unit=membership.unit,
        note=_("暂停计时：%(reason)s") % {"reason": reason},
        data={"clock": "paused", "reason": reason},
        now=now,
    )
    return resolve


@transaction.atomic
def resume_clock(*, case: Case, actor: User, now: dt.datetime | None = None) -> CaseTimer:
    """Resume the clocks; the deadlines move later by the working time spent paused."""
    now = now or timezone.now()
    membership = _check_role(actor, case, PAUSE_ROLES, _("您无权恢复该案件的计时。"))
    timers = list(
        CaseTimer.objects.select_for_update().filter(case=case, paused_since__isnull=False)
    )
    resolve = next((t for t in timers if t.kind == TimerKind.RESOLVE), None)
    if resolve is None:
        raise Conflict(_("计时没有暂停。"), code="not_paused")
    calendar = load_calendar()
    changes = {}
    paused = calendar.elapsed(resolve.paused_since, now, resolve.counting)
    for timer in timers:
        shift = calendar.elapsed(timer.paused_since, now, timer.counting)
        timer.deadline = calendar.advance(timer.deadline, shift, timer.counting)
        timer.warn_at = calendar.advance(timer.warn_at, shift, timer.counting)
        timer.severe_at = calendar.advance(timer.severe_at, shift, timer.counting)
        timer.critical_at = calendar.advance(timer.critical_at, shift, timer.counting)
        timer.paused_seconds += int(shift)
        timer.paused_since = None
        timer.pause_reason = ""
        timer.note = (calendar.note() or timer.note)[:200]
        timer.next_check_at = _next_check(timer)
        timer.save()
        if timer.is_running and timer.kind in (TimerKind.RESOLVE, TimerKind.SIGN):
            field = "deadline" if timer.kind == TimerKind.RESOLVE else "sign_deadline"
            changes[field] = timer.deadline
    update_case(
        case=case,
        changes=changes,
        actor=actor,
        unit=membership.unit,
        note=_("恢复计时，暂停期间不计入办理时限（期限顺延%(days)s天）。")
        % {"days": round(paused / 86400, 1)},
        now=now,
    )
    return resolve


# Progress reports (进展报告) ----------------------------------------------------------------

PROGRESS_MAX = 2000
# Texts of the workbench's progress page (kept here, in this app's catalogue).
PROGRESS_LABEL = gettext_lazy("办理进展")
PROGRESS_REPORTED = gettext_lazy("已报告办理进展。")


def _clean_progress(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("请填写办理进展。"), field="text")
    if "\x00" in text:
        raise ValidationFailed(_("内容含有无效字符。"), field="text")
    if len(text) > PROGRESS_MAX:
        raise ValidationFailed(_("办理进展不能超过%(n)d个字。") % {"n": PROGRESS_MAX}, field="text")
    return text


@transaction.atomic
def report_progress(
    *, case: Case, actor: User, text: str, now: dt.datetime | None = None
) -> CaseEvent:
    """The lead unit's handler reports how the case is going (进展报告). A red case must do
    so every ``report_every_days`` working days while in handling; each report starts the
    next interval (after commit, through the case-event handler)."""
    now = now or timezone.now()
    text = _clean_progress(text)
    membership = _check_role(actor, case, REQUEST_ROLES, _("只有主办单位可以报告办理进展。"))
    if case.status != Status.HANDLING:
        raise Conflict(_("案件不在办理中，无需报告进展。"), code="not_handling")
    return record_event(
        case=case,
        action=Action.PROGRESS_REPORT,
        actor=actor,
        unit=membership.unit,
        note=text,
        data={"progress": True},
        now=now,
    )


# Extensions (延期申请) ----------------------------------------------------------------------


@transaction.atomic
def request_extension(
    *, case: Case, actor: User, days: int, reason: str, now: dt.datetime | None = None
) -> ExtensionRequest:
    """The lead unit asks the center for more time."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写延期理由。"), field="reason")
    membership = _check_role(actor, case, REQUEST_ROLES, _("只有主办单位可以申请延期。"))
    timer = _lock_timer(case.pk, TimerKind.RESOLVE)
    if (
        timer is None
        or not timer.is_running
        or case.status not in (Status.DISPATCHED, Status.HANDLING)
    ):
        raise Conflict(_("该案件当前不在办理期内，不能申请延期。"), code="not_running")
    limits = limits_for(case)
    if not 1 <= days <= limits.max_extension_days:
        raise ValidationFailed(
            _("延期天数应在1到%(n)d天之间。") % {"n": limits.max_extension_days}, field="days"
        )
    if timer.extensions >= limits.max_extensions:
        raise Conflict(
            _("该案件已延期%(n)d次，不能再申请。") % {"n": timer.extensions}, code="extension_limit"
        )
    if ExtensionRequest.objects.filter(case=case, status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("已有一项待审批的延期申请。"), code="extension_pending")
    request = ExtensionRequest.objects.create(
        case=case,
        unit=membership.unit,
        requested_by=actor,
        reason=reason,
        days=days,
        old_deadline=timer.deadline,
        requested_at=now,
    )
    record_event(
        case=case,
        action=Action.COMMENT,
        actor=actor,
        unit=membership.unit,
        note=_("申请延期%(days)d天：%(reason)s") % {"days": days, "reason": reason},
        data={"extension": request.pk, "days": days, "state": "requested"},
        now=now,
    )
    transaction.on_commit(
        lambda: notify.send(
            recipients=notify.staff_of([case.center], DECIDE_ROLES),
            title=_("延期申请待审批：%(code)s") % {"code": case.code},
            body=reason,
            link=notify.case_link(case),
            kind="extension_requested",
        )
    )
    return request


@transaction.atomic
def decide_extension(
    *,
    request: ExtensionRequest,
    actor: User,
    approve: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """The center approves (the deadline moves) or refuses an extension request."""
    now = now or timezone.now()
    note = (note or "").strip()
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    case = Case.objects.select_related("category", "center").get(pk=request.case_id)
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(_("该延期申请已审批。"), code="extension_decided")
    membership = _check_role(actor, case, DECIDE_ROLES, _("您无权审批延期申请。"))
    if not approve and not note:
        raise ValidationFailed(_("不予延期时请填写理由。"), field="note")
    timer = _lock_timer(case.pk, TimerKind.RESOLVE)
    request.decided_by, request.decided_at, request.decision_note = actor, now, note
    if approve:
        calendar = load_calendar()
        new_deadline = calendar.deadline_after(request.old_deadline, request.days, timer.counting)
        timer.extensions += 1
        _retarget(timer, new_deadline, calendar, now)
        request.status = ExtensionStatus.APPROVED
        request.new_deadline = new_deadline
        request.save()
        update_case(
            case=case,
            changes={"deadline": new_deadline, "is_overdue": False},
            actor=actor,
            unit=membership.unit,
            note=_("批准延期%(days)d天（申请理由：%(reason)s）%(note)s")
            % {"days": request.days, "reason": request.reason, "note": note},
            now=now,
        )
    else:
        request.status = ExtensionStatus.REFUSED
        request.save()
        record_event(
            case=case,
            action=Action.COMMENT,
            actor=actor,
            unit=membership.unit,
            note=_("不予延期：%(note)s") % {"note": note},
            data={"extension": request.pk, "state": "refused"},
            now=now,
        )
    approved = approve
    transaction.on_commit(
        lambda: notify.send(
            recipients=[request.requested_by] if request.requested_by else [],
            title=(_("延期申请已批准：%(code)s") if approved else _("延期申请未批准：%(code)s"))
            % {"code": case.code},
            body=note,
            link=notify.case_link(case),
            kind="extension_decided",
        )
    )
    return request


# Entering a year's official schedule ------------------------------------------------------


@dataclass(frozen=True)
class DayInput:
    date: dt.date
    kind: str  # DayKind
    name: str = ""


@transaction.atomic
def enter_calendar_year(
    *, year: int, days: Sequence[DayInput], actor: User | None, source: str = ""
) -> CalendarYear:
    """Enter (or replace) a year's official holidays and make-up working days (调休)."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("年份无效。"), field="year")
    seen: set[dt.date] = set()
    for day in days:
        if day.date.year != year:
            raise ValidationFailed(
                _("%(date)s不在%(year)d年内。") % {"date": day.date, "year": year}, field="days"
            )
        if day.kind not in DayKind.values:
            raise ValidationFailed(_("日期类型无效。"), field="days")
        if day.date in seen:
            raise ValidationFailed(_("%(date)s重复。") % {"date": day.date}, field="days")
        seen.add(day.date)
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"entered_by": actor, "source": source[:200]}
    )
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar_year=calendar_year, date=d.date, kind=d.kind, name=d.name[:32])
            for d in days
        ]
    )
    return calendar_year


# The sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    checked: int = 0
    reached: Counter | None = None

    def __post_init__(self) -> None:
        self.reached = self.reached or Counter()
        self._staff: dict[tuple, list[User]] = {}

    def staff(self, unit, roles) -> list[User]:
        """Staff of a unit in these roles, looked up once per sweep."""
        key = (unit.pk if unit else None, tuple(roles))
        if key not in self._staff:
            self._staff[key] = notify.staff_of([unit], roles)
        return self._staff[key]


NOTICES = {
    (TimerKind.SIGN, Stage.WARNED): ("sign_warning", notify.HANDLERS, False),
    (TimerKind.SIGN, Stage.OVERDUE): ("sign_overdue", notify.HANDLERS, True),
    (TimerKind.RESOLVE, Stage.WARNED): ("deadline_warning", notify.HANDLERS, False),
    (TimerKind.RESOLVE, Stage.OVERDUE): ("deadline_overdue", notify.HANDLERS, True),
    (TimerKind.VISIT, Stage.WARNED): ("visit_warning", (), True),
    (TimerKind.VISIT, Stage.OVERDUE): ("visit_overdue", (), True),
    (TimerKind.REPORT, Stage.WARNED): ("report_due", notify.HANDLERS, False),
    (TimerKind.REPORT, Stage.OVERDUE): ("report_overdue", notify.HANDLERS, True),
}


# The clocks whose overdue milestones higher apps act on (supervision).
FOLLOWED_UP = (TimerKind.RESOLVE, TimerKind.REPORT)


def _notice_text(kind: str, case: Case, deadline: dt.datetime) -> tuple[str, str]:
    when = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    titles = {
        "sign_warning": _("即将超过签收时限：%(code)s"),
        "sign_overdue": _("超时未签收：%(code)s"),
        "deadline_warning": _("即将超期：%(code)s"),
        "deadline_overdue": _("已超期：%(code)s"),
        "visit_warning": _("回访即将超期：%(code)s"),
        "visit_overdue": _("回访已超期：%(code)s"),
        "report_due": _("今日应报告办理进展：%(code)s"),
        "report_overdue": _("未按时报告办理进展：%(code)s"),
    }
    title = titles[kind] % {"code": case.code}
    if kind.startswith("report_"):
        body = _("红色风险案件“%(title)s”应于%(when)s前在案件页面报告办理进展。") % {
            "title": case.title,
            "when": when,
        }
    else:
        body = _("%(title)s，期限为%(when)s。") % {"title": case.title, "when": when}
    return title, body


def _advance_timer(timer_id: int, now: dt.datetime, result: SweepResult) -> None:
    with transaction.atomic():
        qs = CaseTimer.objects.filter(
            pk=timer_id, next_check_at__lte=now, is_running=True, paused_since__isnull=True
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        timer = qs.select_related("case", "case__lead_unit", "case__center").first()
        if timer is None:
            return  # another sweep has it, or it changed since it was listed
        result.checked += 1
        reached = [s for s, at in _milestone_list(timer) if at <= now and s > timer.stage]
        fresh: list[int] = []
        for stage in reached:
            followup = stage >= Stage.OVERDUE and timer.kind in FOLLOWED_UP
            try:
                with transaction.atomic():
                    TimerStage.objects.create(
                        timer=timer,
                        case_id=timer.case_id,
                        kind=timer.kind,
                        period=timer.period,
                        stage=stage,
                        reached_at=now,
                        awaiting_followup=followup,
                    )
            except IntegrityError:
                continue
            fresh.append(stage)
            result.reached[f"{timer.kind}:{Stage(stage).name.lower()}"] += 1
        if reached:
            timer.stage = max(reached)
        if Stage.WARNED in fresh:
            timer.warned_at = now
        if Stage.OVERDUE in fresh:
            timer.overdue_at = now
        timer.next_check_at = _next_check(timer)
        timer.save(update_fields=["stage", "warned_at", "overdue_at", "next_check_at"])
        case = timer.case
        if timer.kind == TimerKind.RESOLVE and Stage.OVERDUE in fresh and not case.is_overdue:
            update_case(
                case=case,
                changes={"is_overdue": True},
                actor=sweep_actor("deadline_sweep"),
                note=_("超过办理时限"),
                now=now,
            )
        # Only the most advanced new notice is sent (a late sweep does not warn and overdue).
        notices = [s for s in fresh if (timer.kind, s) in NOTICES]
        if notices:
            stage = max(notices)
            kind, unit_roles, center_too = NOTICES[(timer.kind, stage)]
            title, body = _notice_text(kind, case, timer.deadline)
            dedupe = f"{kind}:{timer.pk}:{timer.period}"
            recipients = result.staff(case.lead_unit, unit_roles) if unit_roles else []
            if center_too:
                recipients = recipients + result.staff(case.center, notify.CENTER_WATCH)
            transaction.on_commit(
                lambda: notify.send(
                    recipients=recipients,
                    title=title,
                    body=body,
                    link=notify.case_link(case),
                    kind=kind,
                    dedupe_key=dedupe,
                )
            )


def sweep_deadlines(*, now: dt.datetime | None = None, batch: int = 5000) -> SweepResult:
    """Send warnings, mark cases overdue and record every milestone reached since the last
    sweep. Safe to run twice or concurrently."""
    now = now or timezone.now()
    result = SweepResult()
    ids = list(
        CaseTimer.objects.filter(next_check_at__lte=now)
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:batch]
    )
    for timer_id in ids:
        try:
            _advance_timer(timer_id, now, result)
        except Exception:  # one bad case must not stop the sweep for the others
            logger.exception("deadline sweep failed for timer %s", timer_id)
    return result


def remind_missing_calendar(*, now: dt.datetime | None = None) -> list[int]:
    """Remind admins, once a day, of the years whose official schedule nobody entered."""

    now = now or timezone.now()
    today = timezone.localdate(now)
    years = missing_calendar_years(today=today)
    if not years:
        return []
    admins = list(
        User.objects.filter(is_active=True)
        .filter(
            models.Q(is_superuser=True)
            | models.Q(memberships__role=Role.ADMIN, memberships__is_active=True)
        )
        .distinct()
    )
    for year in years:
        notify.send(
            recipients=admins,
            title=_("%(year)d年节假日安排尚未录入") % {"year": year},
            body=_(
                "%(year)d年的法定节假日和调休安排尚未录入，该年的期限暂按周一至周五计算。"
                "请在“节假日安排”中录入。"
            )
            % {"year": year},
            link="/admin/deadlines/calendaryear/",
            kind="calendar_missing",
            dedupe_key=f"calendar_missing:{year}:{today.isoformat()}",
        )
    return years
