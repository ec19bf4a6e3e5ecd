"""Citizen participation where it can be slow at scale: ``python -m bench.participation
[--residents N] [--clues M]``.

Uses ``DATABASE_URL`` if set (never point it at a database you care about), else its own
SQLite file ``var/bench_participation.sqlite3``. Fills one village of the test county with N
residents (default 5,000: a large community) and M clues (default 50,000 over the village),
then measures in process, each against a baseline taken in the same run:

- ``notice_inbox``: :func:`send_notice` to the whole village (one inbox row per resident) vs
  ``bulk_baseline``, a bare ``bulk_create`` of the same rows;
- ``notice_sms``: the same notice with SMS, in the request (the SMS are left to a task)
  vs ``notice_inbox``;
- ``notice_sms_task``: the notice and the task's work (one outbox row per resident, phones
  decrypted) vs ``notice_inbox``;
- ``review_queue``: the grid worker's first page of pending clues (scope by grid) and the
  director's (scope by region path) vs ``clue_page``, the newest 50 clues unscoped;
- ``balance``: a resident's balance over 1,000 ledger entries vs ``one_row``.

Each line is JSON. Django is set up by :func:`main` before anything imports a model, so the
functions below import the project's modules where they run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench.generate import setup_django


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def timed(fn, runs: int = 5) -> float:
    """Median milliseconds of ``runs`` calls."""
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(out), 2)


def prepare(residents: int, clues: int):
    from django.core.management import call_command

    from fengqiao.core import crypto
    from fengqiao.grid.choices import GridPost
    from fengqiao.grid.services import grids as grid_services
    from fengqiao.org.choices import Role
    from fengqiao.org.models import User
    from fengqiao.participation.models import Citizen, Clue
    from fengqiao.participation.services.points import ensure_default_rules
    from fengqiao.regions.models import Grid
    from fengqiao.testing.factories import build_world, staff
    from fengqiao.testing.reference import ensure_test_regions

    call_command("migrate", verbosity=0)
    ensure_test_regions()
    world = build_world()
    ensure_default_rules()
    village = world.village
    grid = Grid.objects.filter(region=village).first() or grid_services.create_grid(
        actor=world.director, village=village, name="基准网格"
    )
    worker = User.objects.filter(username="bench_part_worker").first()
    if worker is None:
        worker = staff(world.village_center, Role.GRID_WORKER, "bench_part_worker")
        grid_services.add_worker(
            actor=world.director, grid=grid, name="基准网格员", post=GridPost.WORKER, user=worker
        )
    director = User.objects.filter(username="bench_part_director").first() or staff(
        world.village_center, Role.DIRECTOR, "bench_part_director"
    )
    have = Citizen.objects.filter(region=village).count()
    token = crypto.encrypt("13800000000")
    rows = []
    for i in range(have, residents):
        phone = f"139{i:08d}"
        rows.append(
            Citizen(
                phone_hash=crypto.phone_hash(phone), phone_encrypted=token,
                phone_masked=crypto.mask_phone(phone), region=village, region_path=village.path,
                grid=grid,
            )
        )  # fmt: skip
    Citizen.objects.bulk_create(rows, batch_size=2000)
    have = Clue.objects.filter(region=village).count()
    first = Citizen.objects.filter(region=village).order_by("id").first()
    from django.utils import timezone

    now = timezone.now()
    Clue.objects.bulk_create(
        [
            Clue(
                kind="hazard", resident=first, sender_hash=first.phone_hash, text=f"基准线索{i}",
                region=village, region_path=village.path, grid=grid if i % 2 else None,
                status="pending" if i % 10 == 0 else "useful", created_at=now,
            )
            for i in range(have, clues)
        ],
        batch_size=2000,
    )  # fmt: skip
    return village, grid, worker, director, first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--clues", type=int, default=50000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        Path("var").mkdir(exist_ok=True)
        os.environ.setdefault("FENGQIAO_SQLITE_PATH", str(Path("var/bench_participation.sqlite3")))
    os.environ.setdefault("FENGQIAO_TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")
    setup_django()
    from django.db import transaction

    from fengqiao.participation import selectors
    from fengqiao.participation.models import (
        Citizen,
        Notice,
        NoticeDelivery,
        PointEntry,
    )
    from fengqiao.participation.services import notices

    village, _grid, worker, director, first = prepare(args.residents, args.clues)
    people = list(Citizen.objects.filter(region=village).values_list("pk", flat=True))

    class Rollback(Exception):
        pass

    def rolled_back(fn):
        def run() -> None:
            try:
                with transaction.atomic():
                    fn()
                    raise Rollback
            except Rollback:
                pass

        return run

    def baseline() -> None:
        n = Notice.objects.create(
            center=worker_center(), scope="village", region=village, region_path=village.path,
            title="基准", body="基准", created_by=director, created_at=first.created_at,
        )  # fmt: skip
        NoticeDelivery.objects.bulk_create(
            [NoticeDelivery(notice=n, resident_id=pk) for pk in people]
        )

    def worker_center():
        return selectors.managing_center(director, village)

    def inbox() -> None:
        notices.send_notice(actor=director, region=village, title="基准通知", body="内容")

    def sms() -> None:
        notices.send_notice(
            actor=director, region=village, title="基准通知", body="内容", by_sms=True
        )

    base = timed(rolled_back(baseline), 3)
    ib = timed(rolled_back(inbox), 3)
    sm = timed(rolled_back(sms), 3)
    emit(
        "notice_inbox",
        residents=len(people),
        ms=ib,
        bulk_baseline_ms=base,
        ratio=round(ib / base, 2),
    )
    emit("notice_sms", residents=len(people), ms=sm, notice_inbox_ms=ib, ratio=round(sm / ib, 2))

    def sms_task() -> None:
        n = notices.send_notice(actor=director, region=village, title="基准通知", body="内容")
        notices.send_sms_for(n.pk)

    task = timed(rolled_back(sms_task), 3)
    emit("notice_sms_task", residents=len(people), ms=task, notice_inbox_ms=ib,
         ratio=round(task / ib, 2))  # fmt: skip

    from fengqiao.participation.models import Clue

    page = timed(lambda: list(Clue.objects.order_by("-created_at", "-id")[:50]), 10)
    mine = timed(lambda: list(selectors.review_queue(worker)[:50]), 10)
    boss = timed(lambda: list(selectors.review_queue(director)[:50]), 10)
    clues = Clue.objects.count()
    emit(
        "review_queue_worker", clues=clues, ms=mine, clue_page_ms=page, ratio=round(mine / page, 2)
    )
    emit(
        "review_queue_director",
        clues=clues,
        ms=boss,
        clue_page_ms=page,
        ratio=round(boss / page, 2),
    )

    if PointEntry.objects.filter(resident=first).count() < 1000:
        PointEntry.objects.bulk_create(
            [
                PointEntry(resident=first, delta=1, balance=i + 1, reason="基准", key=f"b:{i}",
                           created_at=first.created_at)
                for i in range(1000)
            ]
        )  # fmt: skip
    one = timed(lambda: Citizen.objects.get(pk=first.pk), 20)
    bal = timed(lambda: selectors.balance(first), 20)
    emit("balance", entries=1000, ms=bal, one_row_ms=one, ratio=round(bal / max(one, 0.01), 2))


if __name__ == "__main__":
    main()
