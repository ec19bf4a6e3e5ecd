"""平安稳定指数 at scale: ``python -m bench.analytics [--villages N] [--months M]``.

Writes synthetic cells for N villages × M months under a province code no real region uses
(``99``; 30 villages a township, 20 townships a county, 20 counties a city) into the
configured database (FENGQIAO_SQLITE_PATH / DATABASE_URL; only rows under ``99.`` are
touched), then prints JSON lines:

- ``index_full``: every (region, month) computed from scratch by ``compute_dirty`` (rows,
  seconds, rows/s, and the national figure extrapolated to 600,000 villages × 36 months);
- ``index_incremental``: one new month's cases (1 % of the village-months changed) — the
  monthly run — against the full computation as baseline; ratio = full / incremental;
- ``index_rescore``: new weights, every stored row rescored in one UPDATE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import time


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=6000)
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    import django

    django.setup()
    from django.db import transaction

    from fengqiao.analytics import stability
    from fengqiao.analytics.models import IndexDirty, RollupCell, StabilityIndex

    RollupCell.objects.filter(path__startswith="99.").delete()
    IndexDirty.objects.filter(path__startswith="99.").delete()
    StabilityIndex.objects.filter(path__startswith="99.").delete()
    IndexDirty.objects.exclude(path__startswith="99.").update(batch=-1)  # leave others alone
    rng = random.Random(7)
    months = [dt.date(2024 + (i // 12), i % 12 + 1, 1) for i in range(args.months)]
    paths: list[str] = []
    for v in range(args.villages):
        t, c, city = v // 30, v // 600, v // 12000
        paths.append(f"99.99{city:02d}.99{c:04d}.99{t:07d}.99{v:010d}.")
    start = time.perf_counter()
    cells, seen = [], set()
    for path in paths:
        codes = path.rstrip(".").split(".")
        ancestors = [".".join(codes[: i + 1]) + "." for i in range(len(codes))]
        for month in months:
            n = rng.choice((0, 0, 1, 1, 2, 3, 5))
            if not n:
                continue
            for p in ancestors:
                cells.append(RollupCell(path=p, month=month, category=1, channel="window",
                                        total=n, red=int(n > 3), settled=n - 1, on_time=n - 1,
                                        rated=n, satisfied=n - 1, repeat=int(n > 2)))  # fmt: skip
                seen.add((p, month))
    with transaction.atomic():
        RollupCell.objects.bulk_create(cells, batch_size=5000, ignore_conflicts=True)
        IndexDirty.objects.bulk_create(
            [IndexDirty(path=p, month=m) for p, m in seen], batch_size=5000, ignore_conflicts=True
        )
    load = time.perf_counter() - start
    start = time.perf_counter()
    rows = stability.compute_dirty()
    full = time.perf_counter() - start
    village_rows = sum(1 for p, _m in seen if p.count(".") == 5)
    national = 600_000 * 36 / max(1, village_rows) * full
    emit("index_full", rows=rows, seconds=round(full, 2), rows_per_s=round(rows / full),
         load_seconds=round(load, 1), national_estimate_minutes=round(national / 60, 1))  # fmt: skip
    # One month's changes: 1 % of the villages, each with its ancestors marked dirty.
    changed = rng.sample(paths, max(1, len(paths) // 100))
    marks = set()
    for path in changed:
        codes = path.rstrip(".").split(".")
        for i in range(len(codes)):
            marks.add((".".join(codes[: i + 1]) + ".", months[-1]))
    IndexDirty.objects.bulk_create([IndexDirty(path=p, month=m) for p, m in marks],
                                   ignore_conflicts=True)  # fmt: skip
    start = time.perf_counter()
    inc_rows = stability.compute_dirty()
    inc = time.perf_counter() - start
    emit("index_incremental", rows=inc_rows, seconds=round(inc, 3),
         baseline_full_seconds=round(full, 2), ratio=round(full / inc, 1))  # fmt: skip
    start = time.perf_counter()
    rescored = stability.rescore_all()
    emit("index_rescore", rows=rescored, seconds=round(time.perf_counter() - start, 2))
    IndexDirty.objects.filter(batch=-1).update(batch=None)


if __name__ == "__main__":
    main()
