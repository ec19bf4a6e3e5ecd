"""Participation's API: the review queue in scope, a decision that registers a case, notices
with read counts, errors in the common JSON shape."""

from __future__ import annotations

import pytest
from django.test import Client

from fengqiao.api.services import create_token
from fengqiao.participation.services import clues, notices

pytestmark = pytest.mark.django_db


def api(user) -> tuple[Client, dict[str, str]]:
    token = create_token(user=user, name="t").secret
    return Client(), {"Authorization": f"Bearer {token}"}


def _clue(pw, grid=None):
    return clues.submit_clue(
        resident=pw.alice, kind="report", text="有人在河边非法采砂，夜里作业", region=pw.village,
        grid=grid or pw.gw.grid,
    )  # fmt: skip


def test_the_grid_worker_reviews_a_clue_into_a_case(pw):
    clue = _clue(pw)
    _clue(pw, grid=pw.gw.east)
    c, h = api(pw.gw.worker)
    body = c.get("/api/v1/participation/clues", headers=h).json()
    assert [x["id"] for x in body] == [clue.pk]
    assert body[0]["reporter"] == "138****0001"
    done = c.post(
        f"/api/v1/participation/clues/{clue.pk}/review",
        {"decision": "case", "note": "属实"},
        content_type="application/json",
        headers=h,
    ).json()
    assert done["status"] == "case" and done["case"] and done["points"] == 10
    again = c.post(
        f"/api/v1/participation/clues/{clue.pk}/review",
        {"decision": "case"},
        content_type="application/json",
        headers={**h, "Accept-Language": "en"},
    )
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"
    assert "already" in again.json()["message"]


def test_notices_and_stats(pw):
    c, h = api(pw.director)
    r = c.post(
        "/api/v1/participation/notices",
        {"village": pw.village.code, "title": "防汛通知", "body": "请注意防汛"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 201 and r.json()["recipients"] == 2
    notices.mark_read(resident=pw.alice, notice=pw.alice.notices.get().notice)
    assert c.get("/api/v1/participation/notices", headers=h).json()[0]["read"] == 1
    bad = c.post(
        "/api/v1/participation/notices",
        {"village": pw.gw.world.township.code, "title": "x", "body": "y"},
        content_type="application/json",
        headers=h,
    )
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "region"
    assert c.get("/api/v1/participation/stats", headers=h).json()["notices"] == 1
    assert c.get("/api/v1/participation/topics", headers=h).json() == []
