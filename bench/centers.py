"""The centers at scale: ``python -m bench.centers [--centers N]`` on a database that holds
the demo county (never one you care about: it adds synthetic centers named ``bench-``).

Prints one JSON line per figure:

- ``centers_compliance``: :func:`fengqiao.centers.selectors.compliance` and
  :func:`compliance_by_level` over ``--centers`` centers with every checklist item recorded
  (what the province's dashboard computes), ms; baseline ``centers_compliance_baseline``:
  one GROUP BY of the same checks by center in the database;
- ``centers_staffing``: :func:`staffing` over the same centers (staff and departments by
  center), ms;
- ``centers_agenda``: :func:`draw_agenda` for the county center over the last year, ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    os.environ.setdefault("FENGQIAO_DEBUG", "1")
    import django

    django.setup()
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from fengqiao.centers import selectors
    from fengqiao.centers.defaults import ensure_defaults
    from fengqiao.centers.models import CenterCheck, ChecklistItem
    from fengqiao.org.models import Unit

    ensure_defaults()
    county = Unit.objects.filter(kind="center", region__level=3).order_by("id").first()
    have = Unit.objects.filter(name__startswith="bench-").count()
    items = list(ChecklistItem.objects.all())
    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        new = [
            Unit(
                name=f"bench-{i}",
                kind="center",
                region=county.region,
                region_path=county.region.path,
            )
            for i in range(have, args.centers)
        ]
        Unit.objects.bulk_create(new, batch_size=2000)
        CenterCheck.objects.bulk_create(
            [
                CenterCheck(center=u, item=i, met=rng.random() < 0.7, updated_at=now)
                for u in new
                for i in items
            ],
            batch_size=5000,
        )
    centers = list(
        Unit.objects.filter(name__startswith="bench-").select_related("region")[: args.centers]
    )
    ids = [c.pk for c in centers]

    def full() -> None:
        got_items, rows = selectors.compliance(centers)
        selectors.compliance_by_level(rows, got_items)

    def baseline() -> None:
        list(
            CenterCheck.objects.filter(center__in=ids, met=True)
            .values("center_id")
            .annotate(n=Count("id"))
        )

    t = timed(full, args.runs)
    b = timed(baseline, args.runs)
    emit("centers_compliance_baseline", centers=len(centers), ms=round(statistics.median(b), 1))
    emit(
        "centers_compliance",
        centers=len(centers),
        ms=round(statistics.median(t), 1),
        ratio=round(statistics.median(t) / statistics.median(b), 2),
    )
    s = timed(lambda: selectors.staffing(centers, timezone.localdate()), args.runs)
    emit(
        "centers_staffing",
        centers=len(centers),
        ms=round(statistics.median(s), 1),
        ratio=round(statistics.median(s) / statistics.median(b), 2),
    )
    today = timezone.localdate()
    a = timed(
        lambda: selectors.draw_agenda(county, today - dt.timedelta(days=365), today), args.runs
    )
    emit(
        "centers_agenda",
        cases=selectors.cases_of(county).count(),
        ms=round(statistics.median(a), 1),
    )


if __name__ == "__main__":
    main()
