import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqiao.regions import loader
from fengqiao.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_its_real_townships_and_villages():
    county = Region.objects.get(code="420923")
    assert county.full_name == "湖北省孝感市云梦县"
    townships = list(county.children.values_list("name", flat=True))
    assert "城关镇" in townships and "义堂镇" in townships and len(townships) == 12
    village = Region.objects.get(code="420923100001")
    assert village.level == Level.VILLAGE and village.name == "朝阳社区居委会"
    assert village.county_code == "420923"
    assert [a.code for a in village.ancestors()] == [
        "420000", "420900", "420923", "420923100"
    ]  # fmt: skip


def test_subtree_is_one_indexed_range_query():
    county = Region.objects.get(code="420923")
    with CaptureQueriesContext(connection) as ctx:
        count = county.subtree().count()
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert "path" in sql and ">=" in sql and "<" in sql
    # 1 county + 12 townships + the villages of the shipped file that belong to them.
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith="420923").count()
    assert count == 1 + 12 + villages
    assert not county.subtree(include_self=False).filter(code="420923").exists()
    assert Region.objects.get(code="420923100001").is_within(county)
    assert not Region.objects.get(code="420902").is_within(county)


def test_second_run_changes_nothing():
    rows = [r for r in loader.upper_rows() if r.code[:4] == "4209" or r.code == "420000"]
    report = loader.load(rows)
    assert report.created == 0 and report.updated == 0 and report.unchanged == len(rows)


def test_a_renamed_division_is_updated():
    rows = [r for r in loader.upper_rows() if r.code in ("420000", "420900", "420923")]
    rows[-1] = loader.Row("420923", "云梦县（新）", "420900", 3)
    report = loader.load(rows)
    assert report.updated == 1
    assert Region.objects.get(code="420923").full_name == "湖北省孝感市云梦县（新）"


def test_divisions_without_a_prefecture_level_are_handled():
    rows = [
        r
        for r in loader.upper_rows()
        if r.code in ("110000", "110101", "440000", "441900", "429004")
        or r.code.startswith("110101")
        or r.code.startswith("441900")
        or r.code.startswith("429004")
    ]
    loader.load(rows)
    # 直辖市: a district sits right under the province-level city.
    district = Region.objects.get(code="110101")
    assert district.parent_id == "110000" and district.full_name == "北京市东城区"
    # 省直辖县级市 (仙桃): a county-level city right under the province.
    xiantao = Region.objects.get(code="429004")
    assert xiantao.parent_id == "420000" and xiantao.level == Level.COUNTY
    town = xiantao.children.first()
    assert town.county_code == "429004"
    # 不设区的地级市 (东莞): townships right under the city; their case codes use the city.
    dongguan_town = Region.objects.get(code="441900003")
    assert dongguan_town.parent_id == "441900" and dongguan_town.county_code == "441900"


def test_command_loads_one_subtree(capsys):
    call_command("load_regions", root="420923", verbosity=0)
    out = capsys.readouterr().out
    assert "Upper levels" in out
    assert not Region.objects.filter(code="110000").exists()


def test_second_run_reads_each_region_once_not_row_by_row():
    rows = [r for r in loader.upper_rows() if r.code[:4] == "4209" or r.code == "420000"]
    with CaptureQueriesContext(connection) as ctx:
        loader.load(rows)
    assert len(ctx.captured_queries) <= 5
