"""Background delivery of outbound messages (Django tasks; the database queue in production)."""

from __future__ import annotations

from django.tasks import task

# The module, not its names: services queues these tasks, so the two import each other.
from fengqiao.notifications import services


@task()
def deliver_outbound(outbound_id: int) -> str:
    """Try to hand one outbound message to its sender; the outcome is kept on the row."""
    return services.deliver(outbound_id=outbound_id)


@task()
def retry_outbound_task() -> dict:
    """The periodic retry of SMS/e-mail that failed and are due again (for the scheduler)."""
    return {"sent": services.retry_due()}
