"""Case-event handler (settings.FENGQIAO_CASE_EVENT_HANDLERS): webhooks and callbacks."""

from __future__ import annotations

from django.db import transaction

from fengqiao.cases.models import CaseEvent
from fengqiao.integrations.services import webhooks
from fengqiao.integrations.tasks import deliver_task


def on_case_event(event: CaseEvent) -> None:
    """Write the event's deliveries and queue one attempt of each after commit."""
    for d in webhooks.deliveries_for(event):
        transaction.on_commit(lambda pk=d.pk: deliver_task.enqueue(pk))
