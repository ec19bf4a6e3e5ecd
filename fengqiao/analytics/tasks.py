"""Periodic jobs of analytics (listed in settings.FENGQIAO_PERIODIC_JOBS)."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from fengqiao.analytics import report, stability, warning


@task()
def compute_index_task() -> dict:
    """The 平安稳定指数 of every (region, month) whose cases changed since the last run."""
    return {"computed": stability.compute_dirty()}


@task()
def warning_scan_task() -> dict:
    """Spike detection for the last complete month (alerts are sent once each)."""
    result = warning.scan(warning.last_complete_month(timezone.localdate()))
    return {"tests": result.tests, "alerts": len(result.alerts)}


@task()
def monthly_report_task() -> dict:
    """Tell each center's leaders that last month's report is ready (once a month each)."""
    return {"messages": report.announce_monthly_reports(timezone.localdate())}
