"""Background tasks of the deadlines app (run by the database worker)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.deadlines.services import remind_missing_calendar, sweep_deadlines


@task()
def sweep_deadlines_task() -> dict:
    """The periodic deadline sweep (enqueued by the scheduler)."""
    result = sweep_deadlines()
    return {"checked": result.checked, "reached": dict(result.reached)}


@task()
def remind_missing_calendar_task() -> list[int]:
    """Daily reminder to admins of the years without an official holiday schedule."""
    return remind_missing_calendar()
