"""Measure the deadline and supervision sweeps on many open cases of which few change state.

Run it on a throwaway database only (it adds cases, users and units)::

    FENGQIAO_SQLITE_PATH=/tmp/bench.sqlite3 manage.py migrate
    FENGQIAO_SQLITE_PATH=/tmp/bench.sqlite3 manage.py bench_sweep --open 20000 --changing 100

It prints one JSON line with the timings in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, CaseAssignment
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.deadlines.choices import Stage, TimerKind
from fengqiao.deadlines.models import CaseTimer
from fengqiao.deadlines.services import sweep_deadlines

VILLAGES = Path(__file__).resolve().parents[3] / "regions" / "data" / "villages_420923.csv"


class Command(BaseCommand):
    help = "Benchmark the sweeps: N open cases, of which M reach a milestone (JSON output)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--open", type=int, default=20000)
        parser.add_argument("--changing", type=int, default=100)

    def handle(self, *args, **options) -> None:
        from fengqiao.regions import loader
        from fengqiao.regions.models import Region
        from fengqiao.supervision.rules import sweep_supervision
        from fengqiao.testing.factories import build_world, make_case

        if not Region.objects.filter(code="420923").exists():
            rows = [r for r in loader.upper_rows() if r.code[:4] == "4209" or r.code == "420000"]
            loader.load(rows)
            loader.load(loader.village_rows(VILLAGES))
        world = build_world()
        now = timezone.now()
        start = now - dt.timedelta(days=3)
        template = make_case(world, status=Status.HANDLING, now=start)
        n_open, n_changing = options["open"], options["changing"]
        calendar = load_calendar()
        deadline = calendar.deadline_after(start, 10)
        fields = {
            f.attname: getattr(template, f.attname)
            for f in Case._meta.concrete_fields
            if f.name not in ("id", "code")
        }
        t0 = time.perf_counter()
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                [Case(**fields, code=f"B{i:019d}") for i in range(n_open)], batch_size=2000
            )
            CaseAssignment.objects.bulk_create(
                [
                    CaseAssignment(
                        case=c,
                        unit=world.justice,
                        role="lead",
                        status="signed",
                        case_status=c.status,
                        assigned_at=start,
                    )
                    for c in cases
                ],
                batch_size=2000,
            )
            timers = []
            for i, case in enumerate(cases):
                changing = i < n_changing
                # Half of the changing cases pass their warning, half their deadline.
                past = now - dt.timedelta(minutes=5)
                warn_at = past if changing else now + dt.timedelta(days=5)
                due = past if changing and i % 2 else deadline + dt.timedelta(days=30)
                timers.append(
                    CaseTimer(
                        case=case,
                        kind=TimerKind.RESOLVE,
                        started_at=start,
                        deadline=due,
                        warn_at=warn_at,
                        severe_at=due + dt.timedelta(days=5),
                        critical_at=due + dt.timedelta(days=10),
                        stage=Stage.RUNNING,
                        next_check_at=warn_at,
                    )
                )
            CaseTimer.objects.bulk_create(timers, batch_size=2000)
        setup_ms = (time.perf_counter() - t0) * 1000

        def timed(fn):
            wall, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                result = fn()
            return {
                "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
                "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
                "queries": len(queries.captured_queries),
            }, result

        deadline_t, d_result = timed(lambda: sweep_deadlines(now=now))
        supervision_t, s_result = timed(lambda: sweep_supervision(now=now))
        idle_deadline_t, _r = timed(lambda: sweep_deadlines(now=now))
        idle_supervision_t, _r = timed(lambda: sweep_supervision(now=now))
        report = {
            "database": connection.vendor,
            "open_cases": Case.objects.filter(status=Status.HANDLING).count(),
            "changing": n_changing,
            "setup_ms": round(setup_ms),
            "deadline_sweep": deadline_t,
            "reached": dict(d_result.reached),
            "supervision_sweep": supervision_t,
            "orders_issued": dict(s_result.issued),
            "idle_deadline_sweep": idle_deadline_t,
            "idle_supervision_sweep": idle_supervision_t,
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False))
