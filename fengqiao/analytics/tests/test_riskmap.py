"""The risk map's data: the regions below with their figures, case points in scope."""

import pytest

from fengqiao.analytics import rollups, stability
from fengqiao.analytics.riskmap import map_data
from fengqiao.analytics.selectors import Filters
from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case
from fengqiao.regions.synthetic import synthesize_county

pytestmark = pytest.mark.django_db


def test_map_colours_the_townships_and_places_the_cases(world, client):
    synthesize_county(world.county)
    case = world.register(status=Status.HANDLING, risk_level="red")
    Case.objects.filter(pk=case.pk).update(latitude=31.02, longitude=113.75)
    world.register()
    rollups.rebuild()
    stability.compute_dirty()
    client.force_login(world.leader)
    data = client.get("/analytics/map/data.json", {"region": world.county.code,
                                                   "metric": "red"}).json()  # fmt: skip
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    town = props[world.township.code]
    assert town["cases"] == 2 and town["red"] == 1 and town["value"] == 1
    assert town["score"] < 100 and "/cases/?region=" + world.township.code in town["cases_url"]
    assert props[world.other_township.code]["cases"] == 0
    assert [p["code"] for p in data["points"]] == [case.code]
    assert data["points"][0]["value"] == [113.75, 31.02]
    page = client.get("/analytics/map/", {"region": world.county.code})
    assert page.status_code == 200 and "风险地图" in page.content.decode()
    # Another county's user sees none of it.
    client.force_login(world.other_dispatcher)
    assert client.get("/analytics/map/data.json", {"region": world.county.code}).status_code == 404


def test_map_without_boundaries_is_empty_not_an_error(world):
    data = map_data(world.township, Filters(), "index", world.leader)
    assert data["features"] == [] and data["metric"] == "index"
