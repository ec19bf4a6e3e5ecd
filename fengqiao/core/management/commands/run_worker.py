"""Run the background task worker (database-backed, all queues) and the periodic scheduler."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from fengqiao.deadlines.scheduler import SchedulerThread


class Command(BaseCommand):
    help = (
        "Run the task worker that processes background work from the database queue, with the "
        "scheduler that enqueues the periodic sweeps (deadlines, supervision)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--tick", type=float, default=15.0, help="Seconds between scheduler checks (15)."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run the worker only, without the scheduler.",
        )

    def handle(self, *args, **options) -> None:
        worker_id = get_random_string(32)
        scheduler = None
        if not options["no_scheduler"]:
            scheduler = SchedulerThread(worker_id=worker_id, tick=options["tick"])
            scheduler.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                reload=False,
                worker_id=worker_id,
                verbosity=options["verbosity"],
            )
        finally:
            if scheduler is not None:
                scheduler.stop()
