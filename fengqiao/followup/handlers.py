"""Case-event handlers (run after commit): tell the applicant by SMS, open visit tasks.

Named in ``FENGQIAO_CASE_EVENT_HANDLERS``; each is quick (the SMS goes through the outbox and
a task) and idempotent (per event).
"""

from __future__ import annotations

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.followup.notices import notify_applicant_of
from fengqiao.followup.services import open_routine_task, settle_tasks_after


def notify_applicant(event: CaseEvent) -> None:
    """Plain-language SMS to the applicant when the case is registered, dispatched, resolved
    and closed."""

    notify_applicant_of(event)


def open_visit_task(event: CaseEvent) -> None:
    """A closed case gets a visit task for its center; a case archived or reopened by hand
    no longer needs its pending one."""

    if event.action in (Action.ARCHIVE, Action.REOPEN):
        settle_tasks_after(event)
        return
    if event.action != Action.CLOSE:
        return

    case = Case.objects.filter(pk=event.case_id).select_related("center").first()
    if case is not None:
        open_routine_task(case=case, close_event=event, now=event.created_at)
