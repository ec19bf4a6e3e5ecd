"""A small scheduler for periodic tasks on top of Django's tasks framework.

The framework has no scheduler. Each periodic job is a row with ``next_run_at``; a worker
claims a tick with a conditional UPDATE (``WHERE next_run_at = <the value it read>``) and
enqueues the task in the same transaction, so that two workers, or a worker restarted in the
middle of a tick, never enqueue the same tick twice, and a tick missed while no worker ran
is run once, not once per missed interval.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fengqiao.deadlines.models import PeriodicJob

logger = logging.getLogger(__name__)

DEFAULT_JOBS = [
    ("deadline_sweep", "fengqiao.deadlines.tasks.sweep_deadlines_task", 300),
    ("calendar_reminder", "fengqiao.deadlines.tasks.remind_missing_calendar_task", 3600),
]


def configured_jobs() -> list[tuple[str, str, int]]:
    return list(getattr(settings, "FENGQIAO_PERIODIC_JOBS", DEFAULT_JOBS))


def ensure_jobs(*, now: dt.datetime | None = None) -> None:
    """Create the rows of the configured jobs (the first run is due at once)."""
    now = now or timezone.now()
    for name, path, interval in configured_jobs():
        job, created = PeriodicJob.objects.get_or_create(
            name=name,
            defaults={"task_path": path, "interval_seconds": interval, "next_run_at": now},
        )
        if not created and (job.task_path, job.interval_seconds) != (path, interval):
            PeriodicJob.objects.filter(pk=job.pk).update(task_path=path, interval_seconds=interval)


def _next_after(start: dt.datetime, interval: int, now: dt.datetime) -> dt.datetime:
    """The first tick of the job's schedule after ``now``."""
    step = dt.timedelta(seconds=max(interval, 1))
    missed = int((now - start) / step) + 1 if now >= start else 1
    return start + missed * step


def run_due_jobs(*, now: dt.datetime | None = None, worker_id: str = "") -> list[str]:
    """Enqueue every job whose tick is due and that this caller wins; returns their names."""
    now = now or timezone.now()
    started = []
    due = PeriodicJob.objects.filter(is_enabled=True, next_run_at__lte=now).order_by("name")
    for job in due:
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                next_run_at=_next_after(job.next_run_at, job.interval_seconds, now),
                last_run_at=now,
                last_claimed_by=worker_id[:64],
            )
            if not claimed:
                continue  # another worker took this tick
            import_string(job.task_path).enqueue()
        started.append(job.name)
    return started


class SchedulerThread(threading.Thread):
    """Runs :func:`run_due_jobs` every ``tick`` seconds beside the task worker."""

    def __init__(self, *, worker_id: str, tick: float = 15.0) -> None:
        super().__init__(name="fengqiao-scheduler", daemon=True)
        self.worker_id = worker_id
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        first = True
        while not self.stopping.is_set():
            try:
                close_old_connections()
                if first:
                    ensure_jobs()
                    first = False
                for name in run_due_jobs(worker_id=self.worker_id):
                    logger.info("scheduler enqueued %s", name)
            except Exception:  # keep ticking: a database hiccup must not end the schedule
                logger.exception("scheduler tick failed")
            finally:
                close_old_connections()
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
