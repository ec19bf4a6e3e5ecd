"""Automatic supervision (自动督办).

- A case overdue on its handling limit gets 一般督办; a red-risk case gets 重点督办 at once.
- Overdue by half the limit again: 重点督办.
- Repeated failure gets 挂牌督办, notified to the director: overdue by a whole limit again,
  overdue again in a later period (after an extension or a reopening), or no reply in time
  to a 重点督办.
- A reply not given by its deadline escalates the order one grade.
- A case reopened twice (重新办理) is supervised automatically.

The sweep reads only the deadline milestones not yet acted on and the orders whose reply
deadline has just passed; every automatic order has a key that is unique per case, so a
sweep run twice or two at once issue nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, RiskLevel, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.deadlines.choices import Stage
from fengqiao.deadlines.models import TimerStage
from fengqiao.supervision.choices import Grade, OrderStatus, grade_rank, next_grade
from fengqiao.supervision.grades import grade_label
from fengqiao.supervision.models import SupervisionOrder
from fengqiao.supervision.services import issue_automatic

logger = logging.getLogger(__name__)
DEADLINE_KEY = "deadline"
HANDLING = (Status.DISPATCHED, Status.HANDLING)


@dataclass
class SupervisionSweepResult:
    issued: Counter = field(default_factory=Counter)
    escalated: int = 0


def _skip_locked(qs):
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs


def _grade_for_stage(case: Case, stage: TimerStage) -> tuple[str, str] | None:
    """The grade and reason for a deadline milestone, or None if nothing more is needed."""
    orders = SupervisionOrder.objects.filter(
        case=case, is_automatic=True, auto_key__startswith=f"{DEADLINE_KEY}:"
    )
    this_period = f"{DEADLINE_KEY}:{stage.period}:"
    if stage.stage == Stage.OVERDUE:
        if orders.exclude(auto_key__startswith=this_period).exists():
            grade, reason = Grade.LISTED, _("再次超期，屡督不改")
        elif case.risk_level == RiskLevel.RED:
            grade, reason = Grade.KEY, _("红色风险案件超期")
        else:
            grade, reason = Grade.GENERAL, _("超过办理时限")
    elif stage.stage == Stage.SEVERE:
        grade, reason = Grade.KEY, _("超期超过时限的一半")
    elif stage.stage == Stage.CRITICAL:
        grade, reason = Grade.LISTED, _("超期一倍，屡督不改")
    else:
        return None
    issued = orders.filter(auto_key__startswith=this_period).values_list("grade", flat=True)
    if any(grade_rank(g) >= grade_rank(grade) for g in issued):
        return None  # this period already has an order at least as severe
    return grade, reason


def _act_on_stage(stage_id: int, now: dt.datetime, result: SupervisionSweepResult) -> None:
    with transaction.atomic():
        stage = _skip_locked(TimerStage.objects.filter(pk=stage_id, awaiting_followup=True)).first()
        if stage is None:
            return
        TimerStage.objects.filter(pk=stage.pk).update(awaiting_followup=False)
        case = Case.objects.select_related("lead_unit", "center").get(pk=stage.case_id)
        if case.status not in HANDLING:
            return
        decision = _grade_for_stage(case, stage)
        if decision is None:
            return
        grade, reason = decision
        deadline = timezone.localtime(case.deadline).strftime("%Y-%m-%d") if case.deadline else ""
        requirement = _(
            "案件已超过办理时限（%(deadline)s），请%(unit)s加快办理，按期回复办理进展。原因：%(reason)s。"
        ) % {"deadline": deadline, "unit": case.lead_unit or case.center, "reason": reason}
        order = issue_automatic(
            case=case,
            grade=grade,
            requirement=requirement,
            reason=reason,
            auto_key=f"{DEADLINE_KEY}:{stage.period}:{stage.stage}",
            now=now,
        )
        if order is not None:
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
    """Raise supervision for new deadline milestones and escalate overdue replies."""
    now = now or timezone.now()
    result = SupervisionSweepResult()
    stage_ids = list(
        TimerStage.objects.filter(awaiting_followup=True, reached_at__lte=now)
        .order_by("reached_at")
        .values_list("pk", flat=True)[:batch]
    )
    for stage_id in stage_ids:
        try:
            _act_on_stage(stage_id, now, result)
        except Exception:  # one bad case must not stop the sweep for the others
            logger.exception("supervision sweep failed for milestone %s", stage_id)
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
