import pytest

pytestmark = pytest.mark.django_db


def test_region_children(world, api_as):
    api = api_as("dispatcher")
    children = api.get(f"/api/v1/regions/{world.county.code}/children").json()
    assert world.township.code in [c["code"] for c in children]
    assert all(c["level"] == 4 and c["has_children"] for c in children)
    assert api.get("/api/v1/regions/000000/children").status_code == 404


def test_categories(world, api_as):
    from fengqiao.testing.factories import category

    category()
    body = api_as("dispatcher").get("/api/v1/categories").json()
    by_code = {c["code"]: c for c in body}
    assert by_code["dispute.neighbor"]["parent"] == "dispute"


def test_units_are_scoped(world, api_as):
    names = {u["name"] for u in api_as("dispatcher").get("/api/v1/units").json()}
    assert {"云梦县司法局", "云梦县公安局"} <= names
    assert world.other_county_center.name not in names
    township = api_as("township_dispatcher").get("/api/v1/units").json()
    assert "云梦县司法局" not in {u["name"] for u in township}
    response = api_as("township_dispatcher").get(
        "/api/v1/units", {"center": world.county_center.pk}
    )
    assert response.status_code == 404
    narrowed = api_as("dispatcher").get("/api/v1/units", {"center": world.township_center.pk})
    assert {u["name"] for u in narrowed.json()} >= {world.township_center.name}
