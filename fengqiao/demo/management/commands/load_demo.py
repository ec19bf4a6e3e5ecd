"""Build the demo deployment: 云梦县 with its townships and villages, centers, departments,
staff for every role and a year of realistic cases. Safe to run again: a second run adds
nothing, an interrupted one continues where it stopped."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from fengqiao.cases import hooks
from fengqiao.demo import sections, summary
from fengqiao.demo.cases import DEFAULT_SEED, build_cases
from fengqiao.demo.organization import COUNTY_CODE, DEMO_PASSWORD, STAFF, build_organization
from fengqiao.demo.participation import DEMO_PHONE
from fengqiao.demo.security import AUDITOR
from fengqiao.org.choices import Role

VILLAGES = Path(__file__).resolve().parents[3] / "regions" / "data" / "villages_420923.csv"


class Command(BaseCommand):
    help = "Load the demo county (云梦县, 420923) with centers, departments, staff and cases."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all-regions", action="store_true", help="load all of China")
        parser.add_argument("--cases", type=int, default=5000, help="how many cases (default 5000)")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed of a first build"
        )

    def handle(self, *args, all_regions=False, cases=5000, seed=DEFAULT_SEED, **options) -> None:
        started = time.monotonic()
        self.stdout.write("Loading divisions ...")
        call_command(
            "load_regions",
            root=None if all_regions else COUNTY_CODE,
            villages=str(VILLAGES),
            verbosity=0,
        )
        self.stdout.write("Building centers, departments and staff ...")
        org = build_organization()
        self.stdout.write(self.style.SUCCESS(f"Demo county: {org.county.full_name}"))
        self.stdout.write(f"Writing {cases} cases over the last 12 months ...")
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 2 or done == total:
                last[0] = now
                self.stdout.write(
                    f"  {done}/{total} cases ({done * 100 // max(total, 1)}%), "
                    f"{now - started:.0f} s"
                )
                self.stdout.flush()

        # The demo's later steps (visits, supervision) build on what the case-event handlers
        # did, so they run in this process rather than in the task worker.
        with hooks.inline():
            written = build_cases(org, count=cases, seed=seed, progress=progress)
        if not written:
            self.stdout.write("  all cases were already there: nothing added")
        with hooks.inline():
            sections.build_all(org, log=lambda line: (self.stdout.write(line), self.stdout.flush()))
        self.stdout.write("")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD})")
        for username, display_name, role, unit_key in STAFF:
            self.stdout.write(f"  {username:<14} {display_name:<6} {role.label} ({unit_key})")
        auditor, auditor_name = AUDITOR
        self.stdout.write(f"  {auditor:<14} {auditor_name:<6} {Role.AUDITOR.label} (county)")
        self.stdout.write(
            f"  … and {org.staff_count - len(STAFF)} more: every township center has "
            "<镇>_jiedai/_fenliu/_chengban/_zhuren/_tiaojie/_duban/_lingdao (e.g. yitang_fenliu), "
            "its 派出所/司法所 handlers <镇>_public/_justic, every village wg<code> (网格员) and "
            "tj<code> (调解员), every department a handler (fayuan, weijian, shichang …)."
        )
        self.stdout.write(
            f"Citizens: sign in at /p/participation/ with {DEMO_PHONE} (the SMS code is shown on "
            "the page while DEBUG is on); track a case at /p/track/."
        )
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
