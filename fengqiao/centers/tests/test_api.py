"""The centers API: scope, the board, duty, checklist, meetings to tasks, assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fengqiao.api.services import create_token

pytestmark = pytest.mark.django_db


def api(user) -> tuple[Client, dict[str, str]]:
    token = create_token(user=user, name="t").secret
    return Client(), {"Authorization": f"Bearer {token}"}


def test_centers_are_listed_in_scope_with_their_standing(cw):
    w = cw.world
    c, h = api(w.director)
    body = c.get("/api/v1/centers", headers=h).json()
    ids = {row["id"] for row in body}
    assert w.county_center.pk in ids and w.other_county_center.pk not in ids
    mine = next(r for r in body if r["id"] == w.county_center.pk)
    assert mine["residency_rate"] == 100.0 and mine["full_time_norm"] == 5
    assert c.get(f"/api/v1/centers/{w.other_county_center.pk}/board", headers=h).status_code == 404


def test_board_duty_and_checklist(cw):
    w = cw.world
    c, h = api(w.director)
    board = c.get(f"/api/v1/centers/{w.county_center.pk}/board", headers=h).json()
    assert [d["post"] for d in board["duty"]] == ["chief_on_duty", "duty_director"]
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    r = c.post(
        f"/api/v1/centers/{w.county_center.pk}/duty",
        {"day": day, "post": "bad", "user": w.leader.pk},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    r = c.put(
        f"/api/v1/centers/{w.county_center.pk}/checklist/have_sign",
        {"met": True, "evidence": "挂牌照片已上传"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 200 and r.json()["met"] is True
    items = c.get(f"/api/v1/centers/{w.county_center.pk}/checklist", headers=h).json()
    assert next(i for i in items if i["code"] == "have_sign")["met"] is True


def test_a_meeting_from_agenda_to_task_through_the_api(cw):
    w = cw.world
    red = w.register(risk_level="red", title="工地欠薪")
    c, h = api(w.director)
    today = timezone.localdate()
    r = c.post(
        f"/api/v1/centers/{w.county_center.pk}/meetings",
        {
            "kind": "monthly",
            "title": "月度研判会",
            "starts_at": timezone.now().isoformat(),
            "period_start": (today - dt.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201
    m = r.json()
    assert m["agenda"][0]["case"] == red.code
    r = c.post(
        f"/api/v1/meetings/{m['id']}/tasks",
        {"text": "核实人数", "owner": w.justice.pk, "workdays": 3, "case": red.code},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201
    task = r.json()
    hc, hh = api(w.justice_handler)
    r = hc.post(
        f"/api/v1/meeting-tasks/{task['id']}/done",
        {"result": "已核实"},
        content_type="application/json",
        headers=hh,
    )
    assert r.json()["status"] == "done"
    ranking = c.get(f"/api/v1/centers/{w.county_center.pk}/assessment", headers=h)
    assert ranking.status_code == 200
