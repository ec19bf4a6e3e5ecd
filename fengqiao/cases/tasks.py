"""Background tasks of the case core (run by the database worker)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.cases import hooks


@task()
def handle_case_events(case_id: int, seq: int) -> int:
    """Run the case-event handlers on a case's events not handled yet (queued delivery)."""
    return hooks.handle_pending(case_id, seq)
