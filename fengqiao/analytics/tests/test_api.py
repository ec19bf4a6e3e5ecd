"""The analytics API: the same figures as the pages, scoped, with the common error shape."""

import json

import pytest

from fengqiao.analytics import rollups, stability
from fengqiao.api.services import create_token
from fengqiao.cases.choices import Channel, Status

pytestmark = pytest.mark.django_db


def _headers(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=user, name='t').secret}"}


def test_level_index_and_warnings_through_the_api(world, client):
    world.register(status=Status.ARCHIVED, channel=Channel.PHONE)
    world.register(status=Status.HANDLING, risk_level="red")
    rollups.rebuild()
    stability.compute_dirty()
    h = _headers(world.leader)
    level = client.get("/api/v1/analytics/level", {"region": "420923", "channel": "phone"}, **h)
    assert level.status_code == 200 and level.json()["figures"]["total"] == 1
    index = client.get("/api/v1/analytics/index", {"region": "420923"}, **h).json()
    assert index["months"][0]["total"] == 2 and len(index["months"][0]["components"]) == 7
    assert client.get("/api/v1/analytics/warnings", {"region": "420923"}, **h).status_code == 200
    # Out of scope, and weights by someone not allowed.
    assert client.get("/api/v1/analytics/level", {"region": "420902"}, **h).status_code == 404
    denied = client.put(
        "/api/v1/analytics/index/weights", json.dumps({"weights": {"red": 5}}),
        content_type="application/json", **h,
    )  # fmt: skip
    assert denied.status_code == 403


def test_weights_through_the_api(world, client, admin_user):
    h = _headers(admin_user)
    ok = client.put(
        "/api/v1/analytics/index/weights", json.dumps({"weights": {"red": 40}}),
        content_type="application/json", **h,
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["weights"]["red"] == 40
    bad = client.put(
        "/api/v1/analytics/index/weights", json.dumps({"weights": {"red": 400}}),
        content_type="application/json", **h,
    )  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_weights"
