"""Automatic supervision (自动督办).

Grades climb one step per elapsed interval, never several at once:

- A case overdue on its handling limit gets 一般督办 (a red-risk case starts at 重点督办;
  a case overdue again in a later period, after an extension or a reopening, starts one
  grade above the highest it had before; a case already under supervision, by hand or
  after a visit, starts one grade above its open orders, an interval after the latest).
- Still in handling one interval later (half the limit, and not before the case is overdue
  by half the limit again): the next grade, 重点督办; one interval after that, 挂牌督办
  (not before it is overdue by a whole limit again), notified to the director.
- A red case in handling that misses its progress report (every N working days,
  ``report_every_days``) gets 一般督办, then a grade more per further N working days without
  a report.
- A reply not given by its deadline escalates the order one grade.
- A case reopened twice (重新办理) is supervised automatically.

A sweep that comes late (the worker was down, or a case is first seen long overdue, as in a
bulk load) therefore issues only the first grade: every milestone reached at once starts the
same ladder, and the next grade waits for its own interval, counted from the last order.

The sweep reads only the deadline milestones not yet acted on, the orders whose next grade
has come due and the orders whose reply deadline has just passed; every automatic order has
a key that is unique per case, so a sweep run twice or two at once issue nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, RiskLevel, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.deadlines.calendar import WorkCalendar, load_calendar
from fengqiao.deadlines.choices import Stage, TimerKind
from fengqiao.deadlines.models import CaseTimer, TimerStage
from fengqiao.supervision.choices import (
    ACTIVE_STATUSES,
    GRADE_ORDER,
    Grade,
    OrderStatus,
    grade_rank,
    next_grade,
)
from fengqiao.supervision.grades import grade_label
from fengqiao.supervision.models import SupervisionOrder
from fengqiao.supervision.services import issue_automatic

logger = logging.getLogger(__name__)
DEADLINE_KEY = "deadline"
REPORT_KEY = "report"
# Which clock each ladder follows.
LADDERS = {DEADLINE_KEY: TimerKind.RESOLVE, REPORT_KEY: TimerKind.REPORT}
HANDLING = (Status.DISPATCHED, Status.HANDLING)


@dataclass
class SupervisionSweepResult:
    issued: Counter = field(default_factory=Counter)
    escalated: int = 0


def _skip_locked(qs):
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs


def ladder_key(ladder: str, period: int, grade: str) -> str:
    """The key of a ladder's order: one per case, clock period and grade."""
    return f"{ladder}:{period}:{grade}"


def _parse_key(auto_key: str) -> tuple[str, int] | None:
    ladder, _sep, rest = auto_key.partition(":")
    period = rest.partition(":")[0]
    if ladder not in LADDERS or not period.isdigit():
        return None
    return ladder, int(period)


def _interval(calendar: WorkCalendar, timer: CaseTimer) -> float:
    """Working seconds between two grades: half the handling limit (the time from overdue to
    overdue by half again), or the reporting interval of a progress-report clock."""
    if timer.kind == TimerKind.REPORT:
        return calendar.elapsed(timer.started_at, timer.deadline, timer.counting)
    return calendar.elapsed(timer.deadline, timer.severe_at, timer.counting)


def _next_step_at(
    calendar: WorkCalendar, timer: CaseTimer, last_issued: dt.datetime, grade: str
) -> dt.datetime:
    """When ``grade`` comes due: one interval after the last order, and for the handling
    limit not before the milestone that grade stands for (overdue by half, by a whole limit)."""
    at = calendar.advance(last_issued, _interval(calendar, timer), timer.counting)
    if timer.kind == TimerKind.RESOLVE:
        milestone = timer.severe_at if grade == Grade.KEY else timer.critical_at
        at = max(at, milestone)
    return at


def _ladder_orders(case_id: int, ladder: str, period: int) -> list[SupervisionOrder]:
    """Every order on the case since the first order of this ladder and period (replies'
    escalations and orders by hand count as steps too), oldest first."""
    first = (
        SupervisionOrder.objects.filter(
            case_id=case_id, is_automatic=True, auto_key__startswith=f"{ladder}:{period}:"
        )
        .order_by("issued_at", "id")
        .first()
    )
    if first is None:
        return []
    return list(
        SupervisionOrder.objects.filter(case_id=case_id, issued_at__gte=first.issued_at).order_by(
            "issued_at", "id"
        )
    )


def _top_grade(orders: list[SupervisionOrder]) -> str | None:
    return max((o.grade for o in orders), key=grade_rank, default=None)


def _first_grade(case: Case, ladder: str, period: int) -> tuple[str, str]:
    """The grade a ladder starts at, and why."""
    if ladder == REPORT_KEY:
        return Grade.GENERAL, _("红色风险案件未按时报告办理进展")
    earlier = SupervisionOrder.objects.filter(
        case=case, is_automatic=True, auto_key__startswith=f"{DEADLINE_KEY}:"
    ).exclude(auto_key__startswith=f"{DEADLINE_KEY}:{period}:")
    top = _top_grade(list(earlier.only("grade")))
    if top is not None:
        return next_grade(top), _("再次超期，屡督不改")
    if case.risk_level == RiskLevel.RED:
        return Grade.KEY, _("红色风险案件超期")
    return Grade.GENERAL, _("超过办理时限")


def _requirement(case: Case, ladder: str, reason: str) -> str:
    unit = case.lead_unit or case.center
    if ladder == REPORT_KEY:
        return _(
            "红色风险案件应定期报告办理进展，请%(unit)s立即报告办理进展。原因：%(reason)s。"
        ) % {"unit": unit, "reason": reason}
    deadline = timezone.localtime(case.deadline).strftime("%Y-%m-%d") if case.deadline else ""
    return _(
        "案件已超过办理时限（%(deadline)s），请%(unit)s加快办理，按期回复办理进展。原因：%(reason)s。"
    ) % {"deadline": deadline, "unit": unit, "reason": reason}


def _issue_step(
    *,
    case: Case,
    timer: CaseTimer,
    ladder: str,
    grade: str,
    reason: str,
    now: dt.datetime,
    calendar: WorkCalendar,
    escalated_from: SupervisionOrder | None = None,
) -> SupervisionOrder | None:
    order = issue_automatic(
        case=case,
        grade=grade,
        requirement=_requirement(case, ladder, reason),
        reason=reason,
        auto_key=ladder_key(ladder, timer.period, grade),
        escalated_from=escalated_from,
        now=now,
    )
    if order is not None and grade != GRADE_ORDER[-1]:
        order.escalate_at = _next_step_at(calendar, timer, now, next_grade(grade))
        SupervisionOrder.objects.filter(pk=order.pk).update(escalate_at=order.escalate_at)
    return order


def _ready(now: dt.datetime) -> Q:
    return Q(followup_after__isnull=True) | Q(followup_after__lte=now)


def _start_grade(
    case: Case, ladder: str, period: int
) -> tuple[str, str, SupervisionOrder | None] | None:
    """The grade a ladder starts at and why, climbing from the orders the case already has
    open (by hand, after a visit…): one grade above the highest of them, counted from the
    latest (returned). None when the case already is at the top grade."""
    grade, reason = _first_grade(case, ladder, period)
    active = list(
        SupervisionOrder.objects.filter(case=case, status__in=ACTIVE_STATUSES).order_by(
            "issued_at", "id"
        )
    )
    top = _top_grade(active)
    if top is None or grade_rank(top) < grade_rank(grade):
        return grade, reason, None
    if top == GRADE_ORDER[-1]:
        return None
    return next_grade(top), _("督办期间仍超过时限"), active[-1]


def _act_on_stage(stage_id: int, now: dt.datetime, result: SupervisionSweepResult) -> None:
    """A clock overdue: start its ladder (a ladder already started ignores later milestones,
    which its own intervals cover)."""
    with transaction.atomic():
        stage = _skip_locked(
            TimerStage.objects.filter(_ready(now), pk=stage_id, awaiting_followup=True)
        ).first()
        if stage is None:
            return
        done = TimerStage.objects.filter(pk=stage.pk)
        ladder = REPORT_KEY if stage.kind == TimerKind.REPORT else DEADLINE_KEY
        case = Case.objects.select_related("lead_unit", "center").get(pk=stage.case_id)
        timer = CaseTimer.objects.filter(pk=stage.timer_id).first()
        if (
            stage.stage < Stage.OVERDUE
            or stage.kind != LADDERS[ladder]
            or case.status not in HANDLING
            or timer is None
            or timer.period != stage.period  # the clock moved on (extended, restarted)
            or _ladder_orders(case.pk, ladder, stage.period)
            or (ladder == REPORT_KEY and _report_covered(case))
        ):
            done.update(awaiting_followup=False)
            return
        start = _start_grade(case, ladder, stage.period)
        if start is None:
            done.update(awaiting_followup=False)
            return
        grade, reason, latest = start
        calendar = load_calendar()
        if latest is not None:
            due = calendar.advance(latest.issued_at, _interval(calendar, timer), timer.counting)
            if due > now:  # supervised recently: the next grade waits its interval
                done.update(followup_after=due)
                return
        done.update(awaiting_followup=False)
        order = _issue_step(
            case=case,
            timer=timer,
            ladder=ladder,
            grade=grade,
            reason=reason,
            now=now,
            calendar=calendar,
        )
        if order is not None:
            result.issued[grade] += 1


def _report_covered(case: Case) -> bool:
    """A missed progress report needs no order of its own while the case is overdue on its
    handling limit (that ladder governs) or already under supervision (its replies report)."""
    overdue = CaseTimer.objects.filter(
        case=case, kind=TimerKind.RESOLVE, stage__gte=Stage.OVERDUE, is_running=True
    ).exists()
    return (
        overdue
        or SupervisionOrder.objects.filter(
            case=case, status__in=(OrderStatus.OPEN, OrderStatus.OVERDUE)
        ).exists()
    )


def _still_behind(case: Case, timer: CaseTimer | None, period: int) -> bool:
    """The case made no progress since the ladder started: still in handling, the same clock
    period (no extension, no report, no reopening), still past its limit."""
    return (
        case.status in HANDLING
        and timer is not None
        and timer.period == period
        and timer.is_running
        and timer.stage >= Stage.OVERDUE
    )


def _climb(order_id: int, now: dt.datetime, result: SupervisionSweepResult) -> None:
    """An order's next grade has come due: issue it if the case is still behind, or wait
    until one interval has passed since the last order on the case."""
    with transaction.atomic():
        order = _skip_locked(
            SupervisionOrder.objects.filter(pk=order_id, escalate_at__lte=now)
        ).first()
        if order is None:
            return
        SupervisionOrder.objects.filter(pk=order.pk).update(escalate_at=None)
        parsed = _parse_key(order.auto_key)
        if parsed is None or order.status == OrderStatus.CLOSED:
            return
        ladder, period = parsed
        case = Case.objects.select_related("lead_unit", "center").get(pk=order.case_id)
        timer = CaseTimer.objects.filter(case=case, kind=LADDERS[ladder]).first()
        if not _still_behind(case, timer, period):
            return
        if (
            ladder == REPORT_KEY
            and CaseTimer.objects.filter(
                case=case, kind=TimerKind.RESOLVE, stage__gte=Stage.OVERDUE, is_running=True
            ).exists()
        ):
            return  # overdue on its handling limit: that ladder takes over
        calendar = load_calendar()
        if timer.paused_since is not None:  # waiting for the citizen: look again later
            later = calendar.advance(now, _interval(calendar, timer), timer.counting)
            SupervisionOrder.objects.filter(pk=order.pk).update(escalate_at=later)
            return
        orders = _ladder_orders(case.pk, ladder, period)
        top = _top_grade(orders) or order.grade
        if top == GRADE_ORDER[-1]:
            return
        grade = next_grade(top)
        due = _next_step_at(calendar, timer, orders[-1].issued_at, grade)
        if due > now:  # a later order (a reply's escalation, one by hand) restarted the wait
            SupervisionOrder.objects.filter(pk=order.pk).update(escalate_at=due)
            return
        reason = (
            _("逾期仍未报告办理进展") if ladder == REPORT_KEY else _("超期后仍未办结，逐级升级督办")
        )
        new = _issue_step(
            case=case,
            timer=timer,
            ladder=ladder,
            grade=grade,
            reason=reason,
            now=now,
            calendar=calendar,
            escalated_from=order,
        )
        if new is not None:
            result.issued[grade] += 1


def _escalate_overdue_reply(
    order_id: int, now: dt.datetime, result: SupervisionSweepResult
) -> None:
    with transaction.atomic():
        order = _skip_locked(
            SupervisionOrder.objects.filter(
                pk=order_id, status=OrderStatus.OPEN, reply_deadline__lte=now
            )
        ).first()
        if order is None:
            return
        SupervisionOrder.objects.filter(pk=order.pk).update(status=OrderStatus.OVERDUE)
        result.escalated += 1
        case = Case.objects.select_related("lead_unit", "center").get(pk=order.case_id)
        if case.status in (Status.ARCHIVED, Status.REJECTED, Status.WITHDRAWN):
            return
        grade = next_grade(order.grade)
        since = SupervisionOrder.objects.filter(case=case, issued_at__gte=order.issued_at)
        if any(grade_rank(g) >= grade_rank(grade) for g in since.values_list("grade", flat=True)):
            return  # the case already has an order at least this severe
        reason = _("逾期未回复%(grade)s") % {"grade": grade_label(order.grade)}
        requirement = _("%(grade)s（%(date)s下发）逾期未回复，升级督办，请立即回复。") % {
            "grade": grade_label(order.grade),
            "date": timezone.localtime(order.issued_at).strftime("%Y-%m-%d"),
        }
        new = issue_automatic(
            case=case,
            grade=grade,
            requirement=requirement,
            reason=reason,
            auto_key=f"reply:{order.pk}",
            escalated_from=order,
            now=now,
        )
        if new is not None:
            result.issued[grade] += 1


def sweep_supervision(
    *, now: dt.datetime | None = None, batch: int = 5000
) -> SupervisionSweepResult:
    """Start supervision for new deadline milestones, climb the ladders whose next grade has
    come due, and escalate overdue replies."""
    now = now or timezone.now()
    result = SupervisionSweepResult()
    stage_ids = list(
        TimerStage.objects.filter(_ready(now), awaiting_followup=True, reached_at__lte=now)
        .order_by("reached_at")
        .values_list("pk", flat=True)[:batch]
    )
    for stage_id in stage_ids:
        try:
            _act_on_stage(stage_id, now, result)
        except Exception:  # one bad case must not stop the sweep for the others
            logger.exception("supervision sweep failed for milestone %s", stage_id)
    due_ids = list(
        SupervisionOrder.objects.filter(escalate_at__lte=now)
        .order_by("escalate_at")
        .values_list("pk", flat=True)[:batch]
    )
    for order_id in due_ids:
        try:
            _climb(order_id, now, result)
        except Exception:
            logger.exception("supervision sweep failed to escalate order %s", order_id)
    order_ids = list(
        SupervisionOrder.objects.filter(status=OrderStatus.OPEN, reply_deadline__lte=now)
        .order_by("reply_deadline")
        .values_list("pk", flat=True)[:batch]
    )
    for order_id in order_ids:
        try:
            _escalate_overdue_reply(order_id, now, result)
        except Exception:
            logger.exception("supervision sweep failed for order %s", order_id)
    return result


REOPEN_THRESHOLD = 2


def on_case_event(event: CaseEvent) -> None:
    """A case reopened twice is supervised automatically (an after-commit handler)."""
    if event.action != Action.REOPEN:
        return
    reopened = CaseEvent.objects.filter(
        case_id=event.case_id, action=Action.REOPEN, seq__lte=event.seq
    ).count()
    if reopened < REOPEN_THRESHOLD:
        return
    case = Case.objects.select_related("lead_unit", "center").get(pk=event.case_id)
    grade = Grade.GENERAL if reopened == REOPEN_THRESHOLD else Grade.KEY
    issue_automatic(
        case=case,
        grade=grade,
        requirement=_("案件已第%(n)d次重新办理，请认真核查群众诉求，切实解决并回复。")
        % {"n": reopened},
        reason=_("多次重新办理"),
        auto_key=f"reopen:{reopened}",
        now=event.created_at,
    )
