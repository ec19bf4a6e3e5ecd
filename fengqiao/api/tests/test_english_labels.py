"""With ``Accept-Language: en`` the API's labels of reference data are English: the
Chinese ``name`` stays as the record's name, every ``label`` / ``*_label`` is translated."""

from __future__ import annotations

import pytest

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Category
from fengqiao.testing.cjk import CJK

pytestmark = pytest.mark.django_db


def _labels(value, key: str = "") -> list[tuple[str, str]]:
    """(key, text) of every label in a JSON answer."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and (k == "label" or k.endswith("_label")):
                found.append((k, v))
            found.extend(_labels(v, k))
    elif isinstance(value, list):
        for item in value:
            found.extend(_labels(item, key))
    return found


def test_lookups_label_reference_data_in_english(world, api_as):
    api = api_as("dispatcher", language="en")
    categories = {c["code"]: c for c in api.get("/api/v1/categories").json()}
    neighbour = categories["dispute.neighbor"]
    assert neighbour["name"] == "邻里纠纷"
    assert neighbour["name_en"] == neighbour["label"] == "Neighbour disputes"
    units = {u["name"]: u for u in api.get("/api/v1/units").json()}
    police = units["云梦县公安局"]
    assert (police["kind_label"], police["unit_type_label"]) == (
        "Government department",
        "Public security",
    )
    regions = api.get(f"/api/v1/regions/{world.county.code}/children").json()
    assert {r["level_label"] for r in regions} == {"Township"}
    for body in (categories.values(), units.values(), regions):
        bad = [(k, v) for k, v in _labels(list(body)) if CJK.search(v)]
        assert not bad, bad


def test_lookups_label_in_chinese_by_default(world, api_as):
    api = api_as("dispatcher")
    neighbour = next(
        c for c in api.get("/api/v1/categories").json() if c["code"] == "dispute.neighbor"
    )
    assert neighbour["label"] == "邻里纠纷"


def test_cases_label_their_category_in_english(world, api_as):
    case = world.register(
        status=Status.HANDLING, category=Category.objects.get(code="dispute.neighbor")
    )
    api = api_as("dispatcher", language="en")
    listed = api.get("/api/v1/cases").json()
    item = next(i for i in listed["items"] if i["code"] == case.code)
    assert item["category"] == {
        "code": "dispute.neighbor",
        "name": "邻里纠纷",
        "label": "Neighbour disputes",
    }
    detail = api.get(f"/api/v1/cases/{case.code}").json()
    assert detail["category"]["label"] == "Neighbour disputes"
    bad = [(k, v) for k, v in _labels([item, detail]) if CJK.search(v)]
    assert not bad, bad
