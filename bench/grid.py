"""Grid management at national scale: ``python -m bench.grid [--villages N] [--residents M]``.

Fills its own database (``DATABASE_URL``, required: never point it at one you care about)
with a synthetic province of N villages (default 600,000: 20 cities × 20 counties × 50
townships × 30 villages), ``--grids`` grids per village (5) each with a square boundary and
a worker, and M residents (default 10,000,000) spread over the grids; then measures, in
process, p50/p95 over ``--samples`` random places:

- ``grid_list_township`` / ``grid_list_county``: the grid list page's reads (grids of the
  region in the director's scope, first page, their workers) — target p95 < 50 ms;
- ``grid_api_township``: ``GET /api/v1/grids?region=`` through the test client (auth,
  scope, serialization);
- ``grid_worker_own``: a grid worker's own grid (the scope of a grid worker);
- ``residents_village`` / ``residents_township``: the base-data search, first page;
- ``resident_by_id``: an exact ID-number search (keyed hash, one index lookup);
- ``location_check``: :func:`fengqiao.grid.services.field.check_location` (the report's
  GPS check: the county's boundary, the grid's, point-in-polygon) against the baseline
  ``shapely_covers`` (the bare point-in-polygon on a parsed polygon) and
  ``locate_in_village`` (which of the village's grids holds the point).

Each line is JSON. The data are generated once (``--regenerate`` to start again); generation
uses COPY on PostgreSQL and shows its progress. Encrypted columns hold one fixed token (the
cost of encrypting ten million values says nothing about reads); hashes and masks are real.

Django is set up by :func:`main` before anything imports a model, so the functions below
import the project's modules where they run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

from bench.generate import setup_django

PROVINCE = "990000"
NAME = "基准省"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建波宁国庆文辉斌海燕春"
CELL = 0.01  # degrees per village square


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def shape(villages: int) -> tuple[int, int, int, int]:
    """(cities, counties per city, townships per county, villages per township)."""
    per_township = 30
    townships = max(1, villages // per_township)
    cities = 20 if townships >= 20 * 20 * 50 else max(1, min(20, townships // 1000))
    counties = 20 if townships >= cities * 20 * 50 else max(1, min(20, townships // (cities * 50)))
    per_county = max(1, townships // (cities * counties))
    return cities, counties, per_county, per_township


def progress(label: str, done: int, total: int, started: float) -> None:
    print(
        f"  {label}: {done:,}/{total:,} ({done * 100 // max(total, 1)}%), "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )


def generate(villages: int, grids: int, residents: int, seed: int = 2026) -> dict:
    from django.db import connection, transaction

    from bench.bulk import Writer, reset_sequences
    from fengqiao.core import crypto
    from fengqiao.grid.models import GridWorker, Resident
    from fengqiao.regions.models import Grid, Level, Region

    rng = random.Random(seed)
    started = time.monotonic()
    cities, counties, per_county, per_township = shape(villages)
    region_w = Writer(Region)
    village_rows: list[tuple[str, str]] = []
    region_w.add(
        {
            "code": PROVINCE,
            "name": NAME,
            "level": Level.PROVINCE,
            "parent_id": None,
            "path": f"{PROVINCE}.",
            "county_code": PROVINCE,
            "full_name": NAME,
        }
    )
    for c in range(1, cities + 1):
        city = f"99{c:02d}00"
        cpath = f"{PROVINCE}.{city}."
        region_w.add(
            {
                "code": city,
                "name": f"第{c}市",
                "level": Level.CITY,
                "parent_id": PROVINCE,
                "path": cpath,
                "county_code": city,
                "full_name": f"{NAME}第{c}市",
            }
        )
        for k in range(1, counties + 1):
            county = f"99{c:02d}{k:02d}"
            kpath = f"{cpath}{county}."
            region_w.add(
                {
                    "code": county,
                    "name": f"第{k}县",
                    "level": Level.COUNTY,
                    "parent_id": city,
                    "path": kpath,
                    "county_code": county,
                }
            )
            for t in range(1, per_county + 1):
                town = f"{county}{t:03d}"
                tpath = f"{kpath}{town}."
                region_w.add(
                    {
                        "code": town,
                        "name": f"第{t}镇",
                        "level": Level.TOWNSHIP,
                        "parent_id": county,
                        "path": tpath,
                        "county_code": county,
                    }
                )
                for v in range(1, per_township + 1):
                    code = f"{town}{v:03d}"
                    region_w.add(
                        {
                            "code": code,
                            "name": f"第{v}村",
                            "level": Level.VILLAGE,
                            "parent_id": town,
                            "path": f"{tpath}{code}.",
                            "county_code": county,
                        }
                    )
                    village_rows.append((code, f"{tpath}{code}."))
    with transaction.atomic():
        region_w.flush()
    progress("regions", len(village_rows), len(village_rows), started)
    side = int(len(village_rows) ** 0.5) + 1
    grid_w, worker_w = Writer(Grid), Writer(GridWorker)
    grid_id = 0
    grid_of_village: list[tuple[int, str]] = []  # (first grid id, path) per village
    with transaction.atomic():
        for i, (code, path) in enumerate(village_rows):
            x0, y0 = 73.0 + (i % side) * CELL, 18.0 + (i // side) * CELL
            grid_of_village.append((grid_id + 1, path))
            for g in range(grids):
                grid_id += 1
                a, b = x0 + g * CELL / grids, x0 + (g + 1) * CELL / grids
                ring = [[a, y0], [b, y0], [b, y0 + CELL], [a, y0 + CELL], [a, y0]]
                grid_w.add(
                    {
                        "id": grid_id,
                        "code": f"{code}{g + 1:03d}",
                        "name": f"第{g + 1}网格",
                        "region_id": code,
                        "region_path": path,
                        "is_active": True,
                        "boundary": {"type": "Polygon", "coordinates": [ring]},
                        "boundary_source": "synthetic",
                        "min_lon": a,
                        "min_lat": y0,
                        "max_lon": b,
                        "max_lat": y0 + CELL,
                        "area_km2": 0.2,
                        "updated_at": "2026-01-01T00:00:00Z",
                    }
                )
                worker_w.add(
                    {
                        "grid_id": grid_id,
                        "name": "网格员",
                        "post": "worker",
                        "employment": "full_time",
                        "phone_enc": "",
                        "phone_mask": "139****0000",
                        "is_active": True,
                        "created_at": "2026-01-01T00:00:00Z",
                    }
                )
            if i % 50000 == 0:
                progress("grids", grid_id, len(village_rows) * grids, started)
        grid_w.flush()
        worker_w.flush()
    reset_sequences([Region, Grid, GridWorker])
    progress("grids", grid_id, grid_id, started)
    res_w = Writer(Resident, batch=50000)
    token = crypto.encrypt("bench")
    n_villages = len(grid_of_village)
    done = 0
    with transaction.atomic():
        for n in range(residents):
            first, path = grid_of_village[n % n_villages]
            gid = first + (n // n_villages) % grids
            id_number = f"99{n:015d}0"
            res_w.add(
                {
                    "grid_id": gid,
                    "region_path": path,
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "kind": "registered",
                    "id_type": "resident_id",
                    "id_number_enc": token,
                    "id_number_hash": crypto.keyed_hash(id_number, kind="id:resident_id"),
                    "id_number_mask": crypto.mask_id_number(id_number),
                    "phone_enc": "",
                    "phone_hash": "",
                    "phone_mask": "",
                    "gender": "",
                    "household_no": f"H{n // 3}",
                    "relation": "",
                    "address": "",
                    "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": "2026-01-01T00:00:00Z",
                }
            )
            done += 1
            if done % 500000 == 0:
                progress("residents", done, residents, started)
        res_w.flush()
    reset_sequences([Resident])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE regions_region, regions_grid, grid_gridworker, grid_resident")
    return {
        "villages": n_villages,
        "grids": grid_id,
        "residents": residents,
        "seconds": round(time.monotonic() - started, 1),
    }


def wipe() -> None:
    from django.db import transaction

    from fengqiao.grid.models import GridWorker, Resident
    from fengqiao.regions.models import Grid, Region

    with transaction.atomic():
        prefix = f"{PROVINCE}."
        Resident.objects.filter(region_path__startswith=prefix).delete()
        GridWorker.objects.filter(grid__region_path__startswith=prefix).delete()
        Grid.objects.filter(region_path__startswith=prefix).delete()
        Region.objects.filter(path__startswith=prefix).order_by("-level").delete()


def users():
    from fengqiao.grid.models import GridWorker
    from fengqiao.org.choices import Role, UnitKind
    from fengqiao.org.models import Membership, Unit, User
    from fengqiao.regions.models import Grid, Region

    province = Region.objects.get(code=PROVINCE)
    center, _c = Unit.objects.get_or_create(
        region=province, name="基准省综治中心", defaults={"kind": UnitKind.CENTER}
    )
    director, _c = User.objects.get_or_create(username="bench_grid_director")
    Membership.objects.get_or_create(user=director, unit=center, role=Role.DIRECTOR)
    worker, _c = User.objects.get_or_create(username="bench_grid_worker")
    grid = Grid.objects.filter(region_path__startswith=f"{PROVINCE}.").order_by("code").first()
    village_center, _c = Unit.objects.get_or_create(
        region=grid.region, name="基准村综治中心", defaults={"kind": UnitKind.CENTER}
    )
    Membership.objects.get_or_create(user=worker, unit=village_center, role=Role.GRID_WORKER)
    GridWorker.objects.get_or_create(
        grid=grid, user=worker, post="worker", defaults={"name": "基准网格员"}
    )
    return director, worker


def timed(fn, samples: int) -> dict:
    times = []
    for _i in range(samples):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "samples": samples,
    }


def measure(samples: int) -> None:
    from django.test import Client

    from fengqiao.api.services import create_token
    from fengqiao.grid import selectors as sel
    from fengqiao.grid.services.field import check_location
    from fengqiao.regions import geometry as geo
    from fengqiao.regions.models import Grid, Level, Region

    director, worker = users()
    rng = random.Random(7)
    prefix = f"{PROVINCE}."
    townships = list(
        Region.objects.filter(path__startswith=prefix, level=Level.TOWNSHIP).values_list(
            "code", flat=True
        )
    )
    counties = list(
        Region.objects.filter(path__startswith=prefix, level=Level.COUNTY).values_list(
            "code", flat=True
        )
    )
    villages_n = Region.objects.filter(path__startswith=prefix, level=Level.VILLAGE).count()
    grids_n = Grid.objects.filter(region_path__startswith=prefix).count()
    from fengqiao.grid.models import Resident

    residents_n = Resident.objects.filter(region_path__startswith=prefix).count()
    scale = {"villages": villages_n, "grids": grids_n, "residents": residents_n}
    emit("grid_scale", **scale)

    def region(codes):
        return Region.objects.get(code=rng.choice(codes))

    def grid_list(codes):
        def run():
            r = region(codes)
            grids = list(sel.grids_in(director, r)[:50])
            sel.workers_by_grid([g.pk for g in grids])

        return run

    emit("grid_list_township", **timed(grid_list(townships), samples), target_p95_ms=50)
    emit("grid_list_county", **timed(grid_list(counties), samples), target_p95_ms=50)
    token = create_token(user=director, name=f"bench-{time.time()}").secret
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}

    def api():
        r = client.get("/api/v1/grids", {"region": rng.choice(townships)}, headers=headers)
        assert r.status_code == 200, r.content[:200]

    emit("grid_api_township", **timed(api, samples), target_p95_ms=50)

    def own():
        if hasattr(worker, "_fq_grid_ids"):
            del worker._fq_grid_ids
        worker.__dict__.pop("_fq_memberships", None)
        list(sel.visible_grids(worker)[:50])

    emit("grid_worker_own", **timed(own, samples), target_p95_ms=50)
    village_codes = list(
        Region.objects.filter(path__startswith=prefix, level=Level.VILLAGE).values_list(
            "code", flat=True
        )[:200000]
    )

    def residents(codes):
        def run():
            list(sel.search_residents(director, region(codes))[:50])

        return run

    emit("residents_village", **timed(residents(village_codes), samples), target_p95_ms=50)
    emit("residents_township", **timed(residents(townships), samples), target_p95_ms=50)
    province = Region.objects.get(code=PROVINCE)

    def by_id():
        n = rng.randrange(max(residents_n, 1))
        list(sel.search_residents(director, province, f"99{n:015d}0")[:50])

    emit("resident_by_id", **timed(by_id, samples), target_p95_ms=50)
    sample_grids = list(
        Grid.objects.filter(region_path__startswith=prefix)
        .order_by("?")[:samples]
        .select_related("region")
    )

    def point(g):
        box = geo.from_geojson(g.boundary).bounds
        return (box[1] + box[3]) / 2, (box[0] + box[2]) / 2

    it = iter(sample_grids * 2)

    def check():
        g = next(it)
        lat, lon = point(g)
        assert check_location(g, lat, lon) == "inside"

    emit("location_check", **timed(check, len(sample_grids)))
    polys = [(geo.from_geojson(g.boundary), point(g)) for g in sample_grids]
    pit = iter(polys * 2)

    def bare():
        poly, (lat, lon) = next(pit)
        geo.contains_point(poly, lon, lat)

    emit("shapely_covers_baseline", **timed(bare, len(polys)))
    git = iter(sample_grids * 2)

    def locate():
        g = next(git)
        lat, lon = point(g)
        found = [
            c
            for c in Grid.objects.filter(region_id=g.region_id).only("boundary", "code")
            if geo.contains_point(geo.from_geojson(c.boundary), lon, lat)
        ]
        assert found and found[0].code == g.code

    emit("locate_in_village", **timed(locate, len(sample_grids)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=600_000)
    parser.add_argument("--grids", type=int, default=5)
    parser.add_argument("--residents", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    import os

    if not os.environ.get("DATABASE_URL"):
        parser.error(
            "DATABASE_URL is required (a database of its own: the bench writes millions of rows)"
        )
    setup_django()
    from django.core.management import call_command

    from fengqiao.regions.models import Grid

    call_command("migrate", verbosity=0)
    have = Grid.objects.filter(region_path__startswith=f"{PROVINCE}.").count()
    want = shape(args.villages)
    expected = want[0] * want[1] * want[2] * want[3] * args.grids
    if args.regenerate or (have and have != expected):
        print("Wiping the previous grid bench data ...", file=sys.stderr)
        wipe()
        have = 0
    if not have:
        emit("grid_generate", **generate(args.villages, args.grids, args.residents))
    measure(args.samples)


if __name__ == "__main__":
    main()
