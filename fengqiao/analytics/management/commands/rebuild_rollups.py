"""Recompute the dashboard rollups from the cases table (after a bulk import)."""

import time

from django.core.management.base import BaseCommand

from fengqiao.analytics.rollups import rebuild


class Command(BaseCommand):
    help = "Recompute every dashboard rollup from the cases (safe to run again at any time)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        rows = rebuild()
        self.stdout.write(f"{rows} rollup rows written in {time.monotonic() - started:.1f}s")
