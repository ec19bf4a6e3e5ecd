"""The grid API: scope, GeoJSON, idempotent reports, errors as JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from fengqiao.api.services import create_token

pytestmark = pytest.mark.django_db


def api(user) -> tuple[Client, dict[str, str]]:
    token = create_token(user=user, name="t").secret
    return Client(), {"Authorization": f"Bearer {token}"}


def test_grid_worker_lists_only_their_grid(gw):
    c, h = api(gw.worker)
    body = c.get("/api/v1/grids", headers=h).json()
    assert [g["code"] for g in body["items"]] == [gw.grid.code]
    assert body["items"][0]["workers"][0]["phone"] == "139****1111"
    assert c.get(f"/api/v1/grids/{gw.east.code}", headers=h).status_code == 404


def test_director_pages_through_grids_and_reads_boundaries(gw):
    c, h = api(gw.world.director)
    first = c.get("/api/v1/grids", {"limit": 1, "region": gw.world.township.code}, headers=h).json()
    assert first["next_after"] == gw.grid.code
    second = c.get("/api/v1/grids", {"limit": 1, "after": first["next_after"]}, headers=h).json()
    assert [g["code"] for g in second["items"]] == [gw.east.code] and second["next_after"] is None
    fc = c.get(f"/api/v1/regions/{gw.world.township.code}/boundaries", headers=h).json()
    assert (
        fc["type"] == "FeatureCollection"
        and fc["features"][0]["properties"]["code"] == gw.world.village.code
    )
    grids = c.get(f"/api/v1/regions/{gw.world.village.code}/grids.geojson", headers=h).json()
    assert {f["properties"]["code"] for f in grids["features"]} == {gw.grid.code, gw.east.code}
    cov = c.get("/api/v1/grids/coverage", {"region": gw.world.township.code}, headers=h).json()
    assert cov["total"]["grids"] == 2 and gw.world.village.code not in cov["villages_without_grids"]


def test_bad_boundary_is_a_json_error_naming_the_problem(gw):
    c, h = api(gw.world.director)
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[113.70, 31.0], [113.705, 31.005], [113.705, 31.0], [113.70, 31.005], [113.70, 31.0]]
        ],
    }
    r = c.put(
        f"/api/v1/grids/{gw.grid.code}/boundary",
        {"boundary": bowtie},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 422 and "自相交" in r.json()["message"]
    r = c.put(
        f"/api/v1/grids/{gw.grid.code}/boundary",
        {"boundary": bowtie},
        content_type="application/json",
        headers={**h, "Accept-Language": "en"},
    )
    assert r.status_code == 422
    r = c.post(
        "/api/v1/grids",
        {"village": gw.world.village.code, "name": "第三网格"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201 and r.json()["code"] == gw.world.village.code + "003"


def test_reports_through_the_api_are_idempotent(gw):
    c, h = api(gw.worker)
    body = {
        "grid": gw.grid.code,
        "category": "security",
        "title": "夜间有陌生人徘徊",
        "text": "连续两晚有陌生人在仓库附近徘徊。",
        "latitude": 31.01,
        "longitude": 113.705,
    }
    first = c.post(
        "/api/v1/grid-reports",
        body,
        content_type="application/json",
        headers={**h, "Idempotency-Key": "api-key-0001"},
    )
    again = c.post(
        "/api/v1/grid-reports",
        body,
        content_type="application/json",
        headers={**h, "Idempotency-Key": "api-key-0001"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert (
        first.json()["case"] == again.json()["case"] and first.json()["location_check"] == "inside"
    )
    nul = c.post(
        "/api/v1/grid-reports",
        {**body, "title": "a\u0000"},
        content_type="application/json",
        headers={**h, "Idempotency-Key": "api-key-0002"},
    )
    assert nul.status_code in (400, 422) and nul.json()["code"]
    listed = c.get("/api/v1/grid-reports", headers=h).json()
    assert [r["title"] for r in listed] == ["夜间有陌生人徘徊"]


def test_key_people_base_data_and_campaigns_through_the_api(gw):
    import datetime as dt

    from django.utils import timezone

    from fengqiao.grid.models import KeyPersonReveal
    from fengqiao.grid.services import keypop

    person = keypop.register_key_person(
        actor=gw.worker,
        grid=gw.grid,
        category="released",
        name="李大强",
        risk="medium",
        id_number="420923198505054329",
    )
    c, h = api(gw.worker)
    listed = c.get("/api/v1/key-people", headers=h).json()
    assert listed[0]["name"] == "李*强" and "*" in listed[0]["id_number"]
    r = c.post(
        f"/api/v1/key-people/{person.pk}/reveal",
        {"fields": ["name"], "reason": "x"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 422 and not KeyPersonReveal.objects.exists()
    r = c.post(
        f"/api/v1/key-people/{person.pk}/reveal",
        {"fields": ["name"], "reason": "走访前核对姓名"},
        content_type="application/json",
        headers=h,
    )
    assert r.json() == {"name": "李大强"} and KeyPersonReveal.objects.count() == 1
    r = c.post(
        f"/api/v1/key-people/{person.pk}/visits",
        {
            "visited_on": timezone.localdate().isoformat(),
            "findings": "在家务农",
            "risk_after": "low",
        },
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201 and r.json()["was_late"] is False
    other, oh = api(gw.world.township_dispatcher)
    assert other.get("/api/v1/key-people", headers=oh).json() == []
    assert (
        other.post(
            f"/api/v1/key-people/{person.pk}/reveal",
            {"fields": ["name"], "reason": "想看看姓名"},
            content_type="application/json",
            headers=oh,
        ).status_code
        == 404
    )

    r = c.post(
        "/api/v1/residents",
        {
            "grid": gw.grid.code,
            "name": "张三",
            "kind": "registered",
            "id_number": "420923199001011231",
        },
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201
    dup = c.post(
        "/api/v1/residents",
        {
            "grid": gw.grid.code,
            "name": "张三",
            "kind": "registered",
            "id_number": "420923199001011231",
        },
        content_type="application/json",
        headers=h,
    )
    assert dup.status_code == 409 and "重复" in dup.json()["message"]
    found = c.get(
        "/api/v1/residents", {"region": gw.world.village.code, "q": "张"}, headers=h
    ).json()
    assert [x["name"] for x in found] == ["张三"]

    d, dh = api(gw.world.director)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    made = d.post(
        "/api/v1/campaigns",
        {"region": gw.world.village.code, "title": "校园周边排查", "due_on": due},
        content_type="application/json",
        headers=dh,
    ).json()
    assert made["progress"]["tasks"] == 2
    from fengqiao.grid.models import CampaignTask

    task = CampaignTask.objects.get(campaign_id=made["id"], grid=gw.grid)
    done = c.post(
        f"/api/v1/campaign-tasks/{task.pk}/report",
        {"findings": []},
        content_type="application/json",
        headers=h,
    ).json()
    assert done["progress"]["reported"] == 1
