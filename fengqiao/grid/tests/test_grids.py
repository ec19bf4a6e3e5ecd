"""Grids: codes after the village, the chain of people, scope, coverage, pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqiao.core.errors import PermissionDenied
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import GridPost
from fengqiao.grid.models import AuditEntry
from fengqiao.grid.services import grids as grid_services

pytestmark = pytest.mark.django_db


def test_grid_codes_extend_the_village_code_with_a_sequence(gw):
    assert gw.grid.code == gw.world.village.code + "001"
    assert gw.east.code == gw.world.village.code + "002"
    assert gw.grid.region_path == gw.world.village.path
    assert AuditEntry.objects.filter(action="grid.create", object_id=str(gw.grid.pk)).exists()


def test_only_directors_and_admins_over_the_village_manage_its_grids(gw):
    w = gw.world
    with pytest.raises(PermissionDenied):
        grid_services.create_grid(actor=w.dispatcher, village=w.village, name="第三网格")
    with pytest.raises(PermissionDenied):
        grid_services.add_worker(actor=gw.worker, grid=gw.grid, name="张三", post=GridPost.WORKER)
    other_village = w.other_township.children.order_by("code").first()
    with pytest.raises(PermissionDenied):
        grid_services.create_grid(actor=w.township_director, village=other_village, name="第一网格")
    assert grid_services.create_grid(
        actor=w.township_director, village=w.village, name="第三网格"
    ).code.endswith("003")


def test_a_grid_worker_sees_only_their_grid(gw):
    w = gw.world
    assert list(sel.visible_grids(gw.worker)) == [gw.grid]
    assert set(sel.visible_grids(w.township_dispatcher)) == {gw.grid, gw.east}
    assert not sel.visible_grids(w.other_township_dispatcher).exists()
    assert not sel.visible_grids(w.police_handler).exists()


def test_a_grid_out_of_scope_is_a_404_like_a_missing_one(gw, client):
    client.force_login(gw.worker)
    assert client.get(f"/grid/g/{gw.grid.code}/").status_code == 200
    assert client.get(f"/grid/g/{gw.east.code}/").status_code == 404
    assert client.get("/grid/g/999999999999001/").status_code == 404


def test_the_chain_runs_from_head_to_building_heads(gw):
    d = gw.world.director
    head = grid_services.add_worker(actor=d, grid=gw.grid, name="刘书记", post=GridPost.HEAD)
    grid_services.add_worker(actor=d, grid=gw.grid, name="楼长甲", post=GridPost.BUILDING_HEAD)
    chain = sel.worker_chain(gw.grid)
    assert [w.name for w in chain] == ["刘书记", "胡小兵", "楼长甲"]
    assert head.phone == ""


def test_coverage_names_the_villages_without_grids(gw):
    cov = sel.coverage(gw.world.township)
    assert cov.total.villages_with_grids == 1 and cov.total.grids == 2
    assert cov.total.grids_with_workers == 2 and cov.total.grids_with_boundary == 2
    assert gw.world.village not in cov.missing and len(cov.missing) == cov.total.villages - 1
    county = sel.coverage(gw.world.county)
    assert len(county.rows) == 12 and county.rows[0].villages_with_grids == 1


def test_overview_page_lists_grids_and_coverage_with_a_fixed_number_of_queries(gw, client):
    client.force_login(gw.world.township_director)
    client.get("/grid/")  # the session's first page does the sign-in checks once
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/grid/?region={gw.world.township.code}")
    body = r.content.decode()
    assert r.status_code == 200 and gw.grid.code in body and "胡小兵" in body
    assert "尚未划分网格" in body
    baseline = len(ctx.captured_queries)
    for i in range(3):
        grid_services.create_grid(
            actor=gw.world.director, village=gw.world.village, name=f"新网格{i}"
        )
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/grid/?region={gw.world.township.code}")
    assert len(ctx.captured_queries) == baseline


def test_manager_pages_create_edit_and_staff_a_grid(gw, client):
    client.force_login(gw.world.director)
    r = client.post(
        "/grid/new/",
        {"region": gw.world.village.code, "name": "第三网格", "party_branch": "第三党小组"},
    )
    code = gw.world.village.code + "003"
    assert r.status_code == 302 and r["Location"].endswith(f"/grid/g/{code}/")
    client.post(
        f"/grid/g/{code}/workers/",
        {"name": "李四", "post": "worker", "employment": "part_time", "phone": "13911112222"},
    )
    r = client.post(f"/grid/g/{code}/workers/", {"name": "王五", "post": "worker", "phone": "123"})
    page = client.get(f"/grid/g/{code}/").content.decode()
    assert "李四" in page and "139****2222" in page and "第三党小组" in page
    r = client.post(
        f"/grid/g/{code}/boundary/",
        {"boundary": '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'},
    )
    page = client.get(f"/grid/g/{code}/").content.decode()
    assert "自相交" in page


def test_the_public_page_shows_the_workers_phone_and_party_branch(gw, client):
    r = client.get(f"/grid/public/{gw.grid.code}/")
    body = r.content.decode()
    assert (
        r.status_code == 200
        and "胡小兵" in body
        and "13900001111" in body
        and "第一网格党小组" in body
    )
    assert client.get("/grid/public/nope/").status_code == 404


def test_map_data_is_geojson_with_case_counts(gw, client):
    from fengqiao.grid.services import field as field_services

    field_services.submit_field_report(
        reporter=gw.worker,
        grid=gw.grid,
        key="map-key-01",
        category="dispute",
        title="纠纷",
        text="一起纠纷",
        latitude="31.01",
        longitude="113.705",
    )
    client.force_login(gw.world.township_director)
    data = client.get(f"/grid/map/data.json?region={gw.world.village.code}").json()
    by_code = {f["properties"]["code"]: f["properties"] for f in data["grids"]["features"]}
    assert by_code[gw.grid.code]["cases"] == 1 and by_code[gw.east.code]["cases"] == 0
    assert data["points"][0]["value"] == [113.705, 31.01]
    assert client.get("/grid/map/?region=420902").status_code == 404  # another county
    page = client.get(f"/grid/map/?region={gw.world.township.code}")
    assert page.status_code == 200 and b"echarts" in page.content
