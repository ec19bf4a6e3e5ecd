"""Bulk import and export at scale: ``python -m bench.integrations [--rows N]``.

Runs on a throw-away test database (SQLite in memory, or ``DATABASE_URL``'s server with a
``test_`` database) built in this process. Prints one JSON line per figure:

- ``import_check``: the dry run (:func:`imports.check_file`) of an N-row CSV, rows/s;
  baseline: reading and resolving the same rows without the registration checks;
- ``import_run``: the real import (:func:`imports.run_job`), rows/s, and the minutes that
  100,000 rows would take at that pace; baseline: the same number of registrations through
  :func:`register_appeal` in a loop (the window's door), so the ratio is the import's own
  overhead (row bookkeeping, idempotency keys, batches);
- ``export_csv``: the masked export of every case, rows/s; baseline: reading the same cases
  with their applicants and nothing else.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import time


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings_test")
    # As in production: case-event handlers (notices, clocks, rollups) run in the task
    # worker, not in the importing process; tasks are queued in the database.
    os.environ.setdefault("FENGQIAO_CASE_EVENT_DELIVERY", "queue")
    os.environ.setdefault("FENGQIAO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.rows)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run(n: int) -> None:
    from fengqiao.cases.models import Case
    from fengqiao.cases.taxonomy import ensure_default_categories
    from fengqiao.intake.services import register_appeal
    from fengqiao.integrations.models import ImportRow
    from fengqiao.integrations.services import exports, imports
    from fengqiao.testing.factories import build_world
    from fengqiao.testing.reference import ensure_test_regions

    ensure_test_regions()
    ensure_default_categories()
    world = build_world()
    villages = list(world.township.children.order_by("code")[:20])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in imports.COLUMNS])
    for i in range(n):
        writer.writerow([
            f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d} 09:{i % 60:02d}",
            f"历史纠纷第{i}号：邻里因排水沟堵塞发生纠纷",
            f"楼上住户排水沟堵塞导致楼下渗水，多次协商未果，第{i}次登记。",
            villages[i % len(villages)].code, "dispute.neighbor", "window",
            "张三", f"138{i:08d}"[:11], "", "", "1", "", f"OLD-{i}",
        ])  # fmt: skip
    content = out.getvalue().encode("utf-8")

    start = time.perf_counter()
    resolver = imports.Resolver(world.county_center)
    for data in imports.read_rows("b.csv", content):
        resolver.appeal(data)
    base_check = time.perf_counter() - start
    start = time.perf_counter()
    job = imports.check_file(name="b.csv", content=content, center=world.county_center,
                             actor=world.receptionist, membership=None)  # fmt: skip
    check = time.perf_counter() - start
    assert job.valid == n, ImportRow.objects.exclude(errors=[]).values_list("errors")[:3]
    emit("import_check", rows=n, rows_per_s=round(n / check), baseline_rows_per_s=round(n / base_check),
         ratio=round(check / base_check, 2))  # fmt: skip

    imports.start_job(job)
    start = time.perf_counter()
    result = imports.run_job(job.pk)
    real = time.perf_counter() - start
    assert result["imported"] == n, result
    start = time.perf_counter()
    for i, data in enumerate(imports.read_rows("b.csv", content)):
        register_appeal(appeal=resolver.appeal(data), door="window", actor=world.receptionist,
                        key=f"bench-{i}")  # fmt: skip
    base = time.perf_counter() - start
    emit("import_run", rows=n, rows_per_s=round(n / real), minutes_per_100k=round(100_000 * real / n / 60, 1),
         baseline_rows_per_s=round(n / base), ratio=round(real / base, 2),
         database=connection_vendor())  # fmt: skip

    qs = Case.objects.order_by("-registered_at", "-id")
    total = qs.count()
    start = time.perf_counter()
    for _row in exports.rows(qs):
        pass
    exported = time.perf_counter() - start
    start = time.perf_counter()
    for case in qs.prefetch_related("parties").iterator(chunk_size=2000):
        list(case.parties.all())
    base_export = time.perf_counter() - start
    emit("export_csv", rows=total, rows_per_s=round(total / exported),
         baseline_rows_per_s=round(total / base_export), ratio=round(exported / base_export, 2))  # fmt: skip


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
