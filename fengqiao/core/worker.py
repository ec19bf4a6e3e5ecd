"""The task worker that ``run_worker`` runs: django_tasks_db's, made to outlive a locked database.

On SQLite one process writes at a time; a writer that keeps its transaction longer than the
busy timeout (``OPTIONS["timeout"]`` in settings; ``load_demo``'s batches do) makes everyone
else's ``BEGIN`` fail with ``OperationalError: database is locked``. django_tasks_db's loop
catches that error only around the claim's queries, not around the ``BEGIN EXCLUSIVE`` of the
claim's transaction, so the worker died a few seconds into ``make run``. Here:

- a claim that meets a locked database is retried after a short, growing pause (it never ends
  the loop);
- a task's outcome that cannot be saved because the database is locked is saved again until it
  is (the library tries three times, 0.1 s apart, then marks a finished task failed, or dies);
- a task that itself failed on a locked database goes back to the queue, a few seconds later,
  up to :data:`LOCKED_TASK_ATTEMPTS` runs in all, instead of being marked failed: the
  project's tasks can run again (case events resume from their cursor, sweeps and retries
  look at what is due).

Every wait is logged, once per kind and pause, so that a person watching the console sees why
nothing moves.

Start-up too: Django's SQLite backend probes JSON support inside a transaction, which takes the
write lock (``transaction_mode`` is IMMEDIATE); on a locked database the probe fails and the
system check then reports "SQLite does not support JSONFields" and ends the command.
:func:`settle_database_features` runs that probe with the same retries first.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger(__name__)

LOCKED_TASK_ATTEMPTS = 5  # runs of a task that keeps failing on a locked database
MAX_PAUSE = 10.0  # seconds: the longest pause between two tries


def database_is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the database's write lock."""
    return (
        isinstance(exc, OperationalError) and bool(exc.args) and is_locked_database_exception(exc)
    )


def pause_after(failures: int, *, cap: float = MAX_PAUSE) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: 0.5, 1, 2, 4 … up to cap."""
    return min(cap, 0.5 * 2 ** max(failures - 1, 0))


def settle_database_features(using: str = "default") -> int:
    """Run the SQLite backend's JSON probe until the database lets it; returns the retries.

    A successful probe stores what Django's own would (``features.supports_json_field``); a
    probe that fails otherwise than on a lock is left for Django's check to report."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return 0
    failures = 0
    while True:
        try:
            with transaction.atomic(using=using), conn.cursor() as cursor:
                cursor.execute("""SELECT JSON('{"a": "b"}')""")
        except OperationalError as exc:
            if not database_is_locked(exc):
                return failures
            failures += 1
            pause = pause_after(failures)
            logger.warning(
                "The database is locked by another process (starting up); "
                "trying again in %.1f s (try %d).",
                pause,
                failures,
            )
            time.sleep(pause)
            continue
        conn.features.__dict__["supports_json_field"] = True  # the cached_property's slot
        return failures


class Claim:
    """What one claim attempt found: ``locked`` when the database was locked."""

    __slots__ = ("locked", "task")

    def __init__(self, task: DBTaskResult | None, *, locked: bool = False) -> None:
        self.task = task
        self.locked = locked


class LockTolerantWorker(Worker):
    """django_tasks_db's ``Worker`` whose loop survives ``database is locked``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lock_retries = 0  # claims and saves retried on a locked database (for tests, logs)
        self.requeued = 0  # tasks put back after failing on a locked database
        self._locked_in_a_row = 0

    # The loop ------------------------------------------------------------------------------

    def queryset(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim_next(self) -> Claim:
        """Claim the next ready task (the library's claim, with its ``BEGIN`` guarded too)."""
        tasks = self.queryset()
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if not database_is_locked(exc):
                raise
            return Claim(None, locked=True)
        return Claim(task_result)

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        while self.running:
            close_old_connections()
            claim = self.claim_next()
            if claim.locked:
                self._wait_for_lock("claiming the next task")
                continue
            self._locked_in_a_row = 0
            if claim.task is not None:
                self.run_task(claim.task)
            elif self.batch:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            close_old_connections()
            if self.running and claim.task is None:
                time.sleep(self.interval)

    def _wait_for_lock(self, doing: str) -> None:
        self._locked_in_a_row += 1
        self.lock_retries += 1
        pause = pause_after(self._locked_in_a_row)
        logger.warning(
            "The database is locked by another process (%s); trying again in %.1f s (try %d).",
            doing,
            pause,
            self._locked_in_a_row,
        )
        close_old_connections()
        if self.running:
            time.sleep(pause)

    # Saving a task's outcome -----------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The library's run_task saves the outcome through these two methods; the instance's
        # attributes shadow the model's for this one run.
        db_task_result.set_successful = self._until_saved(db_task_result.set_successful)
        db_task_result.set_failed = self._until_saved(self._requeue_if_locked(db_task_result))
        super().run_task(db_task_result)

    def _until_saved(self, save: Callable[[Any], None]) -> Callable[[Any], None]:
        def persist(value: Any) -> None:
            failures = 0
            while True:
                try:
                    save(value)
                    return
                except OperationalError as exc:
                    if not database_is_locked(exc) or not self.running:
                        raise
                    failures += 1
                    self.lock_retries += 1
                    pause = pause_after(failures)
                    logger.warning(
                        "The database is locked by another process (saving a task's outcome); "
                        "trying again in %.1f s (try %d).",
                        pause,
                        failures,
                    )
                    close_old_connections()
                    time.sleep(pause)

        return persist

    def _requeue_if_locked(self, row: DBTaskResult) -> Callable[[BaseException], None]:
        set_failed = row.set_failed

        def fail_or_requeue(exc: BaseException) -> None:
            if not database_is_locked(exc) or len(row.worker_ids) >= LOCKED_TASK_ATTEMPTS:
                set_failed(exc)
                return
            delay = pause_after(len(row.worker_ids) + 2)
            row.status = TaskResultStatus.READY
            row.run_after = timezone.now() + dt.timedelta(seconds=delay)
            row.save(update_fields=["status", "run_after"])
            self.requeued += 1
            logger.warning(
                "Task %s met a locked database; it runs again in %.0f s (run %d of %d).",
                row.task_path,
                delay,
                len(row.worker_ids) + 1,
                LOCKED_TASK_ATTEMPTS,
            )

        return fail_or_requeue
