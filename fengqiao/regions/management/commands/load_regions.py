"""Load official administrative divisions (idempotent; safe to interrupt and run again)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from fengqiao.regions import loader


class Command(BaseCommand):
    help = (
        "Load provinces, cities, counties and townships of China (MCA 2025-12-31), and "
        "villages/communities from a CSV (NBS codes), for all of China or one subtree."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--root", help="only this code's subtree (and its ancestors)")
        parser.add_argument(
            "--villages", help="CSV of villages/communities (code,name,streetCode,...)"
        )
        parser.add_argument("--no-upper", action="store_true", help="skip the upper levels")

    def handle(self, *args, root=None, villages=None, no_upper=False, **options) -> None:
        verbosity = options.get("verbosity", 1)

        def progress(label: str):
            def show(n: int) -> None:
                if verbosity:
                    self.stdout.write(f"  {label}: {n:,} rows processed", ending="\r")
                    self.stdout.flush()

            return show

        started = time.monotonic()
        if not no_upper:
            rows = loader.upper_rows()
            if root and not any(r.code == root for r in rows):
                raise CommandError(f"unknown division code: {root}")
            report = loader.load(rows, root=root, progress=progress("upper levels"))
            self.stdout.write("")
            self.stdout.write(
                f"Upper levels ({loader.UPPER_SOURCE}): {report.as_dict()} "
                f"in {time.monotonic() - started:.1f}s"
            )
        if villages:
            t0 = time.monotonic()
            rows = list(loader.village_rows(villages))
            report = loader.load(rows, root=root, progress=progress("villages"))
            self.stdout.write("")
            self.stdout.write(
                f"Villages from {villages}: {report.as_dict()} in {time.monotonic() - t0:.1f}s"
                + (
                    " (skipped rows have a township code unknown to the upper levels)"
                    if report.skipped
                    else ""
                )
            )
