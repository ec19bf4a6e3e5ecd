"""Periodic followup work for the scheduler (``FENGQIAO_PERIODIC_JOBS``)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.followup import services


@task()
def followup_sweep_task() -> dict:
    """Open missing visit tasks, close the ones not reached in time, and draw last month's
    samples once the month is over (each step is idempotent)."""

    opened = services.ensure_visit_tasks()
    unreached = services.archive_unreached()
    samples = services.draw_previous_month_samples()
    return {"opened": opened, **unreached, "samples": len(samples)}
