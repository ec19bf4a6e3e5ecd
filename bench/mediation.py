"""Mediation at scale: ``python -m bench.mediation [--sessions N]`` on a database that holds
cases (the bench's or a demo's; never one you care about: it adds synthetic mediators and
sessions, marked ``bench-``).

Prints one JSON line per figure:

- ``mediation_stats_<by>``: :func:`fengqiao.mediation.stats.report` over every session
  (this year and the last), ms; baseline: one GROUP BY of the same sessions by mediator and
  outcome in the database (what the report cannot do with fewer reads);
- ``mediation_directory``: the published directory of one county, first 50, ms;
- ``mediation_booking``: :func:`book_room` into a room that already holds the bookings of
  ``--bookings`` sessions, ms per booking (the overlap check under the room's lock).
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
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    os.environ.setdefault("FENGQIAO_DEBUG", "1")
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from fengqiao.cases.models import Case
    from fengqiao.mediation import selectors, services, stats
    from fengqiao.mediation.choices import Outcome, SessionMode, SessionStatus
    from fengqiao.mediation.models import Booking, Mediator, Session
    from fengqiao.org.models import Unit

    rng = random.Random(2026)
    center = Unit.objects.filter(kind="center", region__level=3).order_by("id").first()
    case_ids = list(Case.objects.order_by("id").values_list("id", flat=True)[:200_000])
    if center is None or not case_ids:
        raise SystemExit("no county center or no cases: run the bench generator or load_demo first")
    mediators = list(Mediator.objects.filter(name__startswith="bench-"))
    if not mediators:
        Mediator.objects.bulk_create(
            Mediator(name=f"bench-{i}", center=center, center_path=center.region_path)
            for i in range(300)
        )
        mediators = list(Mediator.objects.filter(name__startswith="bench-"))
    have = Session.objects.filter(mediator__in=mediators).count()
    now = timezone.now()
    outcomes = [Outcome.SUCCESS] * 8 + [Outcome.PARTIAL, Outcome.FAILED]
    batch = []
    base_round = 1000 + have  # rounds unique per case across runs
    for i in range(have, args.sessions):
        held = now - dt.timedelta(days=rng.uniform(0, 700))
        opened = held - dt.timedelta(days=rng.uniform(0, 20))
        batch.append(
            Session(
                case_id=case_ids[i % len(case_ids)],
                round=base_round + i // len(case_ids),
                mediator=mediators[i % len(mediators)],
                center=center,
                mode=SessionMode.ONLINE,
                starts_at=held - dt.timedelta(hours=2),
                ends_at=held,
                status=SessionStatus.HELD,
                outcome=rng.choice(outcomes),
                held_at=held,
                opened_at=opened,
                created_at=held,
            )
        )
        if len(batch) == 5000:
            Session.objects.bulk_create(batch)
            batch = []
    Session.objects.bulk_create(batch)
    sessions = Session.objects.all()
    total = sessions.count()
    for by in stats.DIMENSIONS:
        runs = timed(lambda by=by: stats.report(sessions, by=by), args.runs)
        emit(
            f"mediation_stats_{by}",
            sessions=total,
            median_ms=round(statistics.median(runs), 1),
            max_ms=round(max(runs), 1),
        )
    base = timed(
        lambda: list(sessions.values("mediator_id", "outcome").annotate(n=Count("id"))),
        args.runs,
    )
    emit(
        "mediation_stats_baseline_group_by",
        sessions=total,
        median_ms=round(statistics.median(base), 1),
    )
    flt = selectors.DirectoryFilter(region_path=center.region_path)
    runs = timed(lambda: selectors.with_workload(list(selectors.directory(flt)[:50])), args.runs)
    emit(
        "mediation_directory",
        entries=Mediator.objects.count(),
        median_ms=round(statistics.median(runs), 1),
    )
    room = services.create_room(center=center, name="bench-room", actor=None)
    Booking.objects.filter(room=room).delete()  # laid out afresh on every run
    have = 0
    start = now - dt.timedelta(days=360)
    Booking.objects.bulk_create(
        Booking(
            room=room,
            starts_at=start + dt.timedelta(hours=3 * i),
            ends_at=start + dt.timedelta(hours=3 * i + 2),
        )
        for i in range(have, args.bookings)
    )
    free = [start + dt.timedelta(hours=3 * i + 2, minutes=10) for i in range(args.runs * 4)]
    per = []
    for slot in free:
        t0 = time.perf_counter()
        services.book_room(
            room=room, starts_at=slot, ends_at=slot + dt.timedelta(minutes=40), actor=None
        )
        per.append((time.perf_counter() - t0) * 1000)
    emit(
        "mediation_booking",
        bookings=Booking.objects.filter(room=room).count(),
        median_ms=round(statistics.median(per), 2),
        max_ms=round(max(per), 2),
    )


if __name__ == "__main__":
    main()
