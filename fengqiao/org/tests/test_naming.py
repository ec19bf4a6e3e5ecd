"""Center names derived from official division names (issue 11: 新街社区居综治中心)."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest
from django.apps import apps as live_apps

from fengqiao.demo.organization import build_organization
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.org.naming import center_name, center_name_for
from fengqiao.regions.loader import upper_rows
from fengqiao.regions.models import Level, Region
from fengqiao.testing.factories import make_center

VILLAGES = Path(__file__).resolve().parents[2] / "regions" / "data" / "villages_420923.csv"
GARBLED = ("居综治", "村委会综治", "委员会综治", "委会综治", "办事处综治")
# A suffix doubled by the rule (东镇镇 is a real name: only doubling the source lacks counts).
DOUBLED = ("综治中心综治中心", "社区社区", "街道街道", "村村", "乡乡", "镇镇")


def village_names() -> list[str]:
    with open(VILLAGES, encoding="utf-8-sig", newline="") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def township_names() -> list[str]:
    return [row.name for row in upper_rows() if row.level == Level.TOWNSHIP]


@pytest.mark.parametrize(
    ("division", "center"),
    [
        ("新街社区居委会", "新街社区综治中心"),
        ("朝阳社区居委会", "朝阳社区综治中心"),
        ("朝阳社区居民委员会", "朝阳社区综治中心"),
        ("西王社区委会", "西王社区综治中心"),
        ("朝阳居委会", "朝阳社区综治中心"),
        ("大周村委会", "大周村综治中心"),
        ("大周村民委员会", "大周村综治中心"),
        ("城关镇", "城关镇综治中心"),
        ("沙河乡", "沙河乡综治中心"),
        ("新华街道办事处", "新华街道综治中心"),
        ("新华街道", "新华街道综治中心"),
        ("云梦县", "云梦县综治中心"),
        ("孝感市", "孝感市综治中心"),
        ("台湖管理区", "台湖管理区综治中心"),
        ("台湖农场", "台湖农场综治中心"),
        ("台湖农场生活区", "台湖农场生活区综治中心"),
        ("开发区", "开发区综治中心"),
        ("经济开发区管理委员会", "经济开发区综治中心"),
        ("云梦县综治中心", "云梦县综治中心"),
    ],
)
def test_center_name_from_the_division_name(division, center):
    assert center_name(division) == center


def _problems(names: list[str]) -> list[str]:
    bad = []
    for name in names:
        derived = center_name(name)
        doubled = [d for d in DOUBLED if d in derived and d not in name]
        garbled = any(g in derived for g in GARBLED)
        if doubled or garbled or derived.count("综治中心") != 1 or not derived.endswith("综治中心"):
            bad.append(f"{name} → {derived}")
    return bad


def test_every_village_of_the_county_gets_a_clean_center_name():
    names = village_names()
    assert len(names) > 190
    assert not _problems(names)
    # Every community (社区居委会) keeps 社区, every village (村委会) keeps 村.
    for name in names:
        if name.endswith("社区居委会"):
            assert center_name(name) == name.removesuffix("居委会") + "综治中心"
        if name.endswith("村委会"):
            assert center_name(name) == name.removesuffix("委会") + "综治中心"


def test_every_township_in_the_country_gets_a_clean_center_name():
    names = township_names()
    assert {"城关镇", "沙河乡"} <= set(names) and len(names) > 30000
    assert not _problems(names)
    for name in names:
        if name.endswith(("镇", "乡", "街道", "苏木")):
            assert center_name(name) == name + "综治中心"


def test_counties_and_above_are_named_plainly():
    names = [row.name for row in upper_rows() if row.level <= Level.COUNTY]
    assert not _problems(names)


@pytest.mark.django_db
def test_center_name_for_a_region():
    village = Region.objects.get(code="420923100001")  # 朝阳社区居委会
    assert center_name_for(village) == "朝阳社区综治中心"
    assert make_center(village).name == "朝阳社区综治中心"


@pytest.mark.django_db
def test_the_migration_renames_only_names_of_the_old_rule():
    migration = importlib.import_module("fengqiao.org.migrations.0002_center_names")
    community = Region.objects.get(code="420923100001")  # 朝阳社区居委会
    village = Region.objects.filter(name__endswith="村委会").order_by("code").first()
    edited = Region.objects.get(code="420923100002")  # 曲阳社区居委会
    county = Region.objects.get(code="420923")
    township = Region.objects.get(code="420923100")

    def center(region, name):
        return Unit.objects.create(region=region, name=name, kind=UnitKind.CENTER)

    garbled = center(community, "朝阳社区居综治中心")
    old_village = center(village, village.name.removesuffix("委会") + "综治中心")
    hand_edited = center(edited, "曲阳社区居民议事综治中心")
    old_county = center(county, "云梦县社会治安综合治理中心")
    fine = center(township, "城关镇综治中心")
    migration.rename(live_apps, None)
    for unit in (garbled, old_village, hand_edited, old_county, fine):
        unit.refresh_from_db()
    assert garbled.name == "朝阳社区综治中心"
    assert old_village.name == village.name.removesuffix("委会") + "综治中心"
    assert hand_edited.name == "曲阳社区居民议事综治中心"
    assert old_county.name == "云梦县综治中心"
    assert fine.name == "城关镇综治中心"
    migration.rename(live_apps, None)  # a second run changes nothing
    garbled.refresh_from_db()
    assert garbled.name == "朝阳社区综治中心"


@pytest.mark.django_db
def test_the_migration_leaves_a_center_whose_new_name_is_taken():
    migration = importlib.import_module("fengqiao.org.migrations.0002_center_names")
    community = Region.objects.get(code="420923100001")
    garbled = Unit.objects.create(region=community, name="朝阳社区居综治中心", kind="center")
    Unit.objects.create(region=community, name="朝阳社区综治中心", kind="center")
    migration.rename(live_apps, None)
    garbled.refresh_from_db()
    assert garbled.name == "朝阳社区居综治中心"


@pytest.mark.django_db
def test_the_demo_county_names_every_center_by_the_rule():
    org = build_organization()
    assert org.county_center.name == "云梦县综治中心"
    assert org.village_centers["420923100001"].name == "朝阳社区综治中心"
    centers = list(Unit.objects.filter(kind=UnitKind.CENTER).select_related("region"))
    assert len(centers) > 200
    for unit in centers:
        assert unit.name == center_name_for(unit.region)
        assert not any(g in unit.name for g in GARBLED), unit.name
