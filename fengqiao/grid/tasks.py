"""Periodic jobs of grid management (listed in settings.FENGQIAO_PERIODIC_JOBS)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.grid.services.keypop import sweep_missed_visits


@task()
def sweep_missed_visits_task() -> dict:
    """Reminders and automatic supervision for key people's visits past due."""
    return sweep_missed_visits()
