"""Tasks of the integrations: one delivery attempt, the retry job, an import batch."""

from __future__ import annotations

from django.tasks import task

from fengqiao.integrations.services import imports, webhooks


@task()
def deliver_task(delivery_id: int) -> str:
    d = webhooks.attempt(delivery_id)
    return d.status if d is not None else "not_due"


@task()
def retry_deliveries_task() -> dict:
    """Periodic: attempt the deliveries whose backoff has passed."""
    return webhooks.retry_due()


@task()
def run_import_task(job_id: int) -> dict:
    """Import a checked job's valid rows; resumable (a rerun goes on where it stopped)."""
    return imports.run_job(job_id)
