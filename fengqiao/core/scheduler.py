"""A small scheduler for periodic tasks on top of Django's tasks framework.

The framework has no scheduler. Each periodic job is a row with ``next_run_at``; a worker
claims a tick with a conditional UPDATE (``WHERE next_run_at = <the value it read>``) and
enqueues the task in the same transaction, so that two workers, or a worker restarted in the
middle of a tick, never enqueue the same tick twice, and a tick missed while no worker ran
is run once, not once per missed interval.

The jobs are configured in ``settings.FENGQIAO_PERIODIC_JOBS`` as ``(name, task's dotted path,
seconds)``, so that core names no domain app. A tick that meets a locked database (SQLite,
while another process writes) is tried again after a short pause, not a whole tick later.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fengqiao.core.models import PeriodicJob
from fengqiao.core.worker import database_is_locked, pause_after

logger = logging.getLogger(__name__)


def configured_jobs() -> list[tuple[str, str, int]]:
    """The periodic jobs of ``settings.FENGQIAO_PERIODIC_JOBS``: (name, task path, seconds)."""
    return list(getattr(settings, "FENGQIAO_PERIODIC_JOBS", []))


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
        self.ticks = 0  # ticks that ran to the end
        self.lock_retries = 0  # ticks tried again because the database was locked
        self._jobs_ensured = False

    def tick_once(self) -> list[str]:
        """One tick: the job rows (the first time), then every due job."""
        if not self._jobs_ensured:
            ensure_jobs()
            self._jobs_ensured = True
        started = run_due_jobs(worker_id=self.worker_id)
        for name in started:
            logger.info("scheduler enqueued %s", name)
        self.ticks += 1
        return started

    def run(self) -> None:
        locked_in_a_row = 0
        while not self.stopping.is_set():
            wait = self.tick
            try:
                close_old_connections()
                self.tick_once()
                locked_in_a_row = 0
            except OperationalError as exc:
                if not database_is_locked(exc):
                    logger.exception("scheduler tick failed")
                else:
                    locked_in_a_row += 1
                    self.lock_retries += 1
                    wait = min(self.tick, pause_after(locked_in_a_row))
                    logger.warning(
                        "The database is locked by another process (scheduler tick); "
                        "trying again in %.1f s (try %d).",
                        wait,
                        locked_in_a_row,
                    )
            except Exception:  # keep ticking: a database hiccup must not end the schedule
                logger.exception("scheduler tick failed")
            finally:
                close_old_connections()
            self.stopping.wait(wait)

    def stop(self) -> None:
        self.stopping.set()
