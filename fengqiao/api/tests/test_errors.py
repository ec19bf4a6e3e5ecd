"""Every error is ``{"code", "message", "details"}``, in Chinese or English, never a 5xx."""

import datetime as dt

import pytest
from django.test import Client

from fengqiao.cases.codes import make_code

pytestmark = pytest.mark.django_db


def assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_error_shape_in_both_languages(world, api_as, language):
    api = api_as("dispatcher", language=language)
    case = world.register()
    bad = case.code[:19] + ("0" if case.code[19] != "0" else "1")
    checks = [
        (api.get(f"/api/v1/cases/{bad}"), 422, "invalid_code"),
        (
            api.get(f"/api/v1/cases/{make_code('420923', dt.date(2099, 1, 1), 99999)}"),
            404,
            "not_found",
        ),
        (api.get("/api/v1/no/such/thing"), 404, "not_found"),
        (api.delete("/api/v1/categories"), 405, "method_not_allowed"),
        (api.post("/api/v1/cases", {"title": 5}), 422, "validation_error"),
        (api.post("/api/v1/cases", "{not json"), 400, "malformed_body"),
        (
            api.post(f"/api/v1/cases/{case.code}/transitions", {"action": "close"}),
            409,
            "invalid_transition",
        ),
        (
            api.post(
                f"/api/v1/cases/{case.code}/transitions",
                {"action": "mediate", "expected_version": 7},
            ),
            409,
            "version_conflict",
        ),
        (
            api_as("leader", language=language).post(
                f"/api/v1/cases/{case.code}/transitions", {"action": "mediate"}
            ),
            403,
            "forbidden",
        ),
        (
            Client().get("/api/v1/cases", headers={"Accept-Language": language}),
            401,
            "not_authenticated",
        ),
    ]
    for response, status, code in checks:
        body = assert_shape(response, status, code)
        assert is_chinese(body["message"]) == (language != "en"), (code, body["message"])


def test_validation_error_names_the_field(world, api_as):
    body = api_as("dispatcher").post("/api/v1/cases", {"title": 5}).json()
    fields = {e["field"] for e in body["details"]["errors"]}
    assert {"title", "description", "region", "parties"} <= fields


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 100000},
        {"people_count": 10**30},
        {"latitude": 1e308, "longitude": -1e308},
        {"center": 10**30},
        {"title": "a\u0000b"},
        {"parties": [{"name": "\ud800"}]},
        {"parties": "nope"},
        {"parties": [{"name": "x", "phone": "x" * 5000}]},
        {"parties": [None]},
        [1, 2, 3],
        "just a string",
        None,
        {"region": {"$gt": ""}},
    ],
)
def test_bad_registration_input_is_4xx(world, api_as, body):
    api = api_as("receptionist")
    base = {
        "title": "t",
        "description": "d",
        "region": world.village.code,
        "parties": [{"name": "王小明", "phone": "13800138000"}],
    }
    data = {**base, **body} if isinstance(body, dict) else body
    import json

    raw = json.dumps(data) if data is not None else "null"
    response = api.post("/api/v1/cases", raw)
    assert 400 <= response.status_code < 500, response.content
    assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00garbage", b'{"title": "\\ud800"}', b"[" * 5000, b'{"a":1e999999}'],
)
def test_bad_bytes_are_4xx(world, api_as, raw):
    response = api_as("receptionist").post("/api/v1/cases", raw)
    assert 400 <= response.status_code < 500, response.content


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 10**20},
        {"unit": 10**30},
        {"registered_from": "0001-01-01", "registered_to": "9999-12-31"},
        {"registered_from": "not a date"},
        {"q": "\x00"},
        {"overdue": "maybe"},
        {"status": ["x" * 500]},
        {"page": 10**9},
    ],
)
def test_bad_list_input_is_4xx_or_empty(world, api_as, params):
    response = api_as("dispatcher").get("/api/v1/cases", params)
    assert response.status_code < 500, response.content
    if response.status_code != 200:
        assert_shape(response, response.status_code, response.json()["code"])


def test_bad_transition_and_supervision_input_is_4xx(world, api_as):
    case = world.register()
    api = api_as("director")
    for body in (
        {"action": "dispatch", "lead_unit": 10**30},
        {"action": "dispatch", "co_units": ["x"]},
        {"action": "\x00"},
        {"action": "close", "expected_version": -1},
    ):
        response = api.post(f"/api/v1/cases/{case.code}/transitions", body)
        assert 400 <= response.status_code < 500, (body, response.content)
    for body in (
        {"grade": "key", "requirement": "r", "reply_deadline": "0001-01-01T00:00:00"},
        {"grade": "key", "requirement": "r", "reply_deadline": "2030-01-01T00:00:00"},
        {"grade": "key", "requirement": "r", "reply_deadline": "9999-12-31T23:59:59-23:59"},
    ):
        response = api.post(f"/api/v1/cases/{case.code}/supervision", body)
        assert response.status_code < 500, (body, response.content)
