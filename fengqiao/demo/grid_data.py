"""The demo's grid base data, key populations and one 排查 campaign (steps of the grid
section, after the grids and their people). Idempotent: each step skips what is there."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import person
from fengqiao.grid.choices import (
    FindingOutcome,
    HouseUse,
    KeyCategory,
    KeyRisk,
    OrgKind,
    PlaceKind,
    ResidentKind,
)
from fengqiao.grid.models import Campaign, CampaignTask, GridWorker, House, KeyPerson
from fengqiao.grid.services import basedata, campaigns, keypop
from fengqiao.regions.models import Grid, Level

Log = Callable[[str], None]
TODAY = dt.date(2026, 1, 1)
BASE_DATA_GRIDS = 40  # the first grids of the first townships get households
KEY_PEOPLE = 36
CAMPAIGN_TITLE = "“民转刑”风险隐患大排查"


def _grids(org: DemoOrg, n: int) -> list[Grid]:
    return list(
        Grid.objects.filter(region_path__startswith=org.county.path, region__level=Level.VILLAGE)
        .select_related("region")
        .order_by("code")[:n]
    )


@transaction.atomic
def _households(grid: Grid, rng: random.Random) -> int:
    if House.objects.filter(grid=grid).exists():
        return 0
    made = 0
    community = "社区" in grid.region.name
    for h in range(rng.randint(4, 7)):
        address = (
            f"{grid.region.name.removesuffix('居委会').removesuffix('村委会')}{grid.name}{h + 1}号"
            + (
                f"{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
                if community
                else ""
            )
        )
        house = basedata.add_house(
            actor=None,
            grid=grid,
            address=address,
            use=rng.choice([HouseUse.SELF] * 4 + [HouseUse.RENTED]),
        )
        head = person(rng, TODAY, min_age=30, max_age=70)
        household_no = f"H{grid.code[-6:]}{h + 1:02d}"
        members = [(head, "户主", ResidentKind.REGISTERED)]
        spouse = person(rng, TODAY, min_age=28, max_age=68, male=not head.male)
        members.append((spouse, "配偶", ResidentKind.REGISTERED))
        if house.use == HouseUse.RENTED:
            members.append(
                (person(rng, TODAY, min_age=20, max_age=45), "租户", ResidentKind.FLOATING)
            )
        for p, relation, kind in members:
            if basedata.duplicate_of("resident_id", p.id_number):
                continue
            basedata.add_resident(
                actor=None,
                grid=grid,
                house=house,
                name=p.name,
                kind=kind,
                id_number=p.id_number,
                phone=p.phone,
                household_no=household_no,
                relation=relation,
                address=address,
            )
            made += 1
    if rng.random() < 0.5:
        basedata.add_organization(
            actor=None,
            grid=grid,
            name=f"云梦县{grid.region.name[:2]}{grid.name}便民超市",
            kind=OrgKind.NON_PUBLIC,
            employees=rng.randint(2, 12),
        )
    if rng.random() < 0.3:
        basedata.add_place(
            actor=None, grid=grid, name=f"{grid.region.name[:2]}小学", kind=PlaceKind.SCHOOL
        )
    return made


def base_data(org: DemoOrg, *, log: Log) -> None:
    rng = random.Random("demo-base-data")
    made = sum(
        _households(g, random.Random(f"{rng.random()}:{g.code}"))
        for g in _grids(org, BASE_DATA_GRIDS)
    )
    log(f"  residents: {made} new")


def key_people(org: DemoOrg, *, log: Log) -> None:
    if KeyPerson.objects.filter(region_path__startswith=org.county.path).exists():
        log("  key people: already there")
        return
    rng = random.Random("demo-key-people")
    grids = _grids(org, BASE_DATA_GRIDS)
    categories = list(KeyCategory)
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for i in range(KEY_PEOPLE):
            grid = grids[i % len(grids)]
            post = GridWorker.objects.filter(grid=grid, is_active=True).exclude(user=None).first()
            p = person(rng, TODAY, min_age=18, max_age=60)
            risk = rng.choice([KeyRisk.LOW, KeyRisk.MEDIUM, KeyRisk.MEDIUM, KeyRisk.HIGH])
            # Plans started a while ago: some visits are due soon, a few already missed.
            started = today - dt.timedelta(days=rng.randint(0, 40))
            keypop.register_key_person(
                actor=None,
                grid=grid,
                category=categories[i % len(categories)],
                name=p.name,
                risk=risk,
                id_number=p.id_number,
                phone=p.phone,
                address=f"{grid.region.name}{rng.randint(1, 40)}号",
                note="按期报到，情绪稳定。",
                responsible=post.user if post else None,
                today=started,
            )
            made += 1
    counts = keypop.sweep_missed_visits(today=today)
    log(f"  key people: {made} new; missed visits {counts}")


def campaign(org: DemoOrg, *, log: Log) -> None:
    if Campaign.objects.filter(title=CAMPAIGN_TITLE, region=org.county).exists():
        log("  campaign: already there")
        return
    director = org.users["zhuren"]
    c = campaigns.launch_campaign(
        actor=director,
        region=org.county,
        title=CAMPAIGN_TITLE,
        description="围绕婚恋家庭、邻里、土地山林等矛盾纠纷，逐户排查可能激化的风险，逐条上报。",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    rng = random.Random("demo-campaign")
    tasks = list(
        CampaignTask.objects.filter(campaign=c)
        .select_related("grid__region")
        .order_by("grid__code")[:30]
    )
    for task in tasks:
        post = GridWorker.objects.filter(grid=task.grid, is_active=True).exclude(user=None).first()
        if post is None:
            continue
        roll = rng.random()
        findings = []
        if roll < 0.3:
            findings.append(
                campaigns.FindingIn("两户因宅基地界线积怨多年，近期有激化苗头", FindingOutcome.CASE)
            )
        elif roll < 0.6:
            findings.append(
                campaigns.FindingIn(
                    "村小学门口减速带损坏",
                    FindingOutcome.RECTIFY,
                    timezone.localdate() + dt.timedelta(days=rng.randint(3, 15)),
                )
            )
        campaigns.report_task(actor=post.user, task=task, findings=findings)
    log(f"  campaign: sent to {c.tasks.count()} grids, {len(tasks)} reported")


STEPS: list[Callable[..., None]] = [base_data, key_people, campaign]
