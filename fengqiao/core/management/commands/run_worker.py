"""Run the background task worker (database-backed, all queues) and the periodic scheduler."""

from __future__ import annotations

import sys
from typing import TextIO, cast

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from fengqiao.core.scheduler import SchedulerThread
from fengqiao.core.supervise import supervise
from fengqiao.core.worker import LockTolerantWorker, settle_database_features


class Command(BaseCommand):
    # Checked in handle(), once the database lets us (a locked SQLite database at start-up
    # would fail the check's JSON probe: core/worker.py).
    requires_system_checks = []
    help = (
        "Run the task worker that processes background work from the database queue, with the "
        "scheduler that enqueues the periodic jobs (settings.FENGQIAO_PERIODIC_JOBS)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--tick", type=float, default=15.0, help="Seconds between scheduler checks (15)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait, when the queue is empty, before looking again (1).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run the worker only, without the scheduler.",
        )
        parser.add_argument(
            "--supervise",
            action="store_true",
            help="Run the worker in a child process and restart it if it dies; give up with a "
            "message after 5 deaths within a minute (what `make run` uses).",
        )

    def handle(self, *args, **options) -> None:
        if options["supervise"]:
            sys.exit(supervise(self._child_argv(options)))
        if not options.get("skip_checks"):
            settle_database_features()
            self.check()
        DbWorkerCommand(
            stdout=cast(TextIO, self.stdout), stderr=cast(TextIO, self.stderr)
        ).configure_logging(options["verbosity"])
        worker_id = get_random_string(32)
        scheduler = None
        if not options["no_scheduler"]:
            scheduler = SchedulerThread(worker_id=worker_id, tick=options["tick"])
            scheduler.start()
        worker = LockTolerantWorker(
            queue_names=["*"],
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stop()

    @staticmethod
    def _child_argv(options: dict) -> list[str]:
        argv = [sys.executable, "-m", "django", "run_worker", f"--verbosity={options['verbosity']}"]
        argv += [f"--tick={options['tick']}", f"--interval={options['interval']}"]
        if options["no_scheduler"]:
            argv.append("--no-scheduler")
        for name in ("settings", "pythonpath"):
            if options.get(name):
                argv.append(f"--{name}={options[name]}")
        return argv
