"""The demo county's grids: synthetic boundaries, grids in every village, their people,
located cases, field reports, base data, key populations and one 排查 campaign.

Every step writes through the grid services and skips what is already there, so the
section can be interrupted and run again. The boundaries are synthetic (docs/grid.md).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point

from fengqiao.cases import services as case_services
from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.models import Case
from fengqiao.demo import grid_data
from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import mobile, person
from fengqiao.grid.choices import Employment, GridPost, ReportCategory, ReportOutcome
from fengqiao.grid.models import FieldReport, GridWorker
from fengqiao.grid.services import field as field_services
from fengqiao.grid.services import grids as grid_services
from fengqiao.org.choices import Role
from fengqiao.regions import geometry as geo
from fengqiao.regions.models import BoundarySource, Grid, Level, Region, RegionBoundary
from fengqiao.regions.synthetic import synthesize_county, tessellate

Log = Callable[[str], None]
TODAY = dt.date(2026, 1, 1)
LOCATE_CASES = 2000  # the newest village cases get a grid and a point (one update event each)


def _short(name: str) -> str:
    for suffix in ("社区居委会", "村委会", "居委会", "委员会", "社区", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def grid_count(village: Region) -> int:
    rng = random.Random(f"grids:{village.code}")
    return rng.randint(4, 6) if "社区" in village.name else rng.randint(2, 4)


def build(org: DemoOrg, *, log: Log) -> None:
    county = org.county
    written = synthesize_county(county, log=None)
    log(f"  synthetic boundaries: {written} written")
    villages = list(Region.objects.subtree(county).filter(level=Level.VILLAGE).order_by("code"))
    made = sum(_grids_of(v) for v in villages)
    log(f"  grids: {made} new in {len(villages)} villages")
    people = sum(_people_of(org, v) for v in villages)
    log(f"  grid people: {people} new")
    located = _locate_cases(county)
    log(f"  cases located in grids: {located}")
    reports = _field_reports(org)
    log(f"  field reports: {reports} new")
    for step in _later_steps():
        step(org, log=log)


def _later_steps() -> list[Callable[..., None]]:
    return grid_data.STEPS


@transaction.atomic
def _grids_of(village: Region) -> int:
    if Grid.objects.filter(region=village).exists():
        return 0
    boundary = RegionBoundary.objects.filter(region=village).first()
    n = grid_count(village)
    cells = (
        tessellate(geo.from_geojson(boundary.geometry), n, seed=f"grid:{village.code}")
        if boundary
        else [None] * n
    )
    short = _short(village.name)
    for i, cell in enumerate(cells, start=1):
        grid_services.create_grid(
            actor=None,
            village=village,
            name=f"第{i}网格",
            boundary=geo.to_geojson(cell) if cell is not None else None,
            boundary_source=BoundarySource.SYNTHETIC,
            party_branch=f"{short}第{i}网格党小组",
            party_secretary="",
            description=f"{short}第{i}片区",
        )
    return len(cells)


@transaction.atomic
def _people_of(org: DemoOrg, village: Region) -> int:
    grids = list(Grid.objects.filter(region=village).order_by("code"))
    if not grids or GridWorker.objects.filter(grid__in=grids).exists():
        return 0
    rng = random.Random(f"grid-people:{village.code}")
    center = org.village_centers.get(village.code)
    account = org.staff.get((center.pk, Role.GRID_WORKER)) if center else None
    head = person(rng, TODAY, min_age=40, max_age=60)
    count = 0
    for i, grid in enumerate(grids):
        grid_head = grid_services.add_worker(
            actor=None,
            grid=grid,
            name=head.name,
            post=GridPost.HEAD,
            employment=Employment.PART_TIME,
            phone=head.phone,
            duties="村（社区）党组织书记兼任网格长",
        )
        if i == 0 and account is not None:
            worker = grid_services.add_worker(
                actor=None,
                grid=grid,
                name=account.display_name or account.username,
                post=GridPost.WORKER,
                employment=Employment.FULL_TIME,
                phone=mobile(rng),
                user=account,
                reports_to=grid_head,
                duties="专职网格员：信息采集、矛盾排查、上报",
            )
        else:
            p = person(rng, TODAY, min_age=25, max_age=55)
            worker = grid_services.add_worker(
                actor=None,
                grid=grid,
                name=p.name,
                post=GridPost.WORKER,
                employment=Employment.FULL_TIME if rng.random() < 0.6 else Employment.PART_TIME,
                phone=p.phone,
                reports_to=grid_head,
                duties="网格员：信息采集、矛盾排查、上报",
            )
        count += 2
        for b in range(rng.randint(1, 2)):
            p = person(rng, TODAY, min_age=35, max_age=68)
            grid_services.add_worker(
                actor=None,
                grid=grid,
                name=p.name,
                post=GridPost.BUILDING_HEAD if "社区" in village.name else GridPost.MICRO_HEAD,
                employment=Employment.PART_TIME,
                phone=p.phone,
                reports_to=worker,
                duties=f"{b + 1}号楼栋" if "社区" in village.name else f"{b + 1}组",
            )
            count += 1
    return count


def _locate_cases(county: Region) -> int:
    """Give the newest village cases a grid and a point inside it (an update event each)."""
    cases = list(
        Case.objects.in_region(county)
        .filter(grid=None, region__level=Level.VILLAGE)
        .order_by("-registered_at")
        .values_list("pk", "region_id", "registered_at")[:LOCATE_CASES]
    )
    grids: dict[str, list[Grid]] = {}
    done = 0
    for pk, region_id, registered_at in cases:
        options = grids.get(region_id)
        if options is None:
            options = grids[region_id] = list(
                Grid.objects.filter(region_id=region_id)
                .filter(boundary__isnull=False)
                .order_by("code")
            )
        if not options:
            continue
        rng = random.Random(f"locate:{pk}")
        grid = rng.choice(options)
        point = _point_in(geo.from_geojson(grid.boundary), rng)
        with transaction.atomic():
            case_services.update_case(
                case=pk,
                changes={
                    "grid": grid,
                    "longitude": Decimal(f"{point.x:.6f}"),
                    "latitude": Decimal(f"{point.y:.6f}"),
                },
                actor=sweep_actor("demo_grid"),
                note="网格定位（演示数据）",
                now=registered_at,
            )
        done += 1
    return done


def _point_in(polygon: Any, rng: random.Random) -> Point:
    min_x, min_y, max_x, max_y = polygon.bounds
    for _attempt in range(200):
        p = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if polygon.contains(p):
            return p
    return polygon.representative_point()


REPORTS = [
    (
        "dispute",
        "两户村民因宅基地界线发生争执",
        "三组两户村民因新建围墙占地发生口角，双方情绪激动，需要调解。",
        ReportOutcome.CASE,
        "",
    ),
    (
        "hazard",
        "村道旁电线杆倾斜存在安全隐患",
        "村道东侧一根电线杆倾斜约20度，下方有学生上下学经过。",
        ReportOutcome.CASE,
        "",
    ),
    (
        "environment",
        "垃圾集中点清运不及时",
        "二组垃圾集中点三天未清运，有异味。",
        ReportOutcome.ON_THE_SPOT,
        "已联系保洁员当天清运，并提醒村民分类投放。",
    ),
    (
        "dispute",
        "邻里因噪音发生争吵",
        "楼上住户夜间装修影响休息，双方争吵。",
        ReportOutcome.ON_THE_SPOT,
        "现场劝导，双方约定装修时间为早八点至晚六点，已和解。",
    ),
]


def _field_reports(org: DemoOrg) -> int:
    worker = org.users.get("cun_wangge")
    post = (
        GridWorker.objects.filter(user=worker, is_active=True)
        .select_related("grid__region")
        .first()
    )
    if worker is None or post is None:
        return 0
    grid = post.grid
    rng = random.Random("demo-reports")
    made = 0
    now = timezone.now()
    for i, (category, title, text, outcome, resolution) in enumerate(REPORTS):
        key = f"demo-report-{i:03d}"
        if FieldReport.objects.filter(reporter=worker, client_key=key).exists():
            continue
        point = _point_in(geo.from_geojson(grid.boundary), rng) if grid.boundary else None
        field_services.submit_field_report(
            reporter=worker,
            grid=grid,
            key=key,
            category=ReportCategory(category),
            title=title,
            text=text,
            outcome=outcome,
            resolution=resolution,
            latitude=f"{point.y:.6f}" if point else None,
            longitude=f"{point.x:.6f}" if point else None,
            observed_at=now - dt.timedelta(days=len(REPORTS) - i),
        )
        made += 1
    return made
