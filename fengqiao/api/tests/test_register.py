import threading

import pytest
from django.db import connection

from fengqiao.api.schemas import CaseOut
from fengqiao.api.services import create_token
from fengqiao.api.tests.conftest import ApiClient
from fengqiao.cases.codes import is_valid_code
from fengqiao.cases.models import Case

pytestmark = pytest.mark.django_db


def payload(world, **overrides):
    body = {
        "channel": "window",
        "title": "邻里噪音纠纷",
        "description": "楼上住户夜间装修噪音扰民，协商未果。",
        "region": world.village.code,
        "category": "dispute.neighbor",
        "address": "城关镇幸福路8号",
        "latitude": 31.0207,
        "longitude": 113.7936,
        "people_count": 2,
        "parties": [
            {"role": "applicant", "name": "王小明", "phone": "13800138000"},
            {"role": "respondent", "name": "李大海", "phone": "13900139000"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def category(world):
    from fengqiao.testing.factories import category

    return category()


def test_register_makes_a_case_at_the_callers_center(world, api_as, category):
    api = api_as("receptionist")
    response = api.post("/api/v1/cases", payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert is_valid_code(body["code"])
    assert body["status"] == "registered"
    assert body["center"] == {"id": world.county_center.pk, "name": world.county_center.name}
    assert body["category"]["code"] == "dispute.neighbor"
    assert [p["masked_name"] for p in body["parties"]] == ["王*明", "李*海"]
    assert body["parties"][0]["masked_phone"] == "138****8000"
    assert "13800138000" not in response.content.decode()
    assert {a["action"] for a in body["allowed_actions"]} >= {"reject", "answer"}
    assert body["tracking_url"].endswith(f"/p/track/{body['code']}/")


def test_the_answer_is_the_case_as_get_answers_it(world, api_as, category):
    # Registration renders its answer without ninja's validation pass; it must still be
    # exactly the CaseOut that GET /cases/{code} (validated) answers for the same case.
    api = api_as("receptionist")
    body = api.post("/api/v1/cases", payload(world)).json()
    assert body == api.get(f"/api/v1/cases/{body['code']}").json()
    assert CaseOut.model_validate(body).code == body["code"]


def test_without_a_key_two_posts_make_two_cases(world, api_as, category):
    api = api_as("receptionist")
    first = api.post("/api/v1/cases", payload(world))
    second = api.post("/api/v1/cases", payload(world))
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] != second.json()["code"]


def test_same_key_returns_the_first_case(world, api_as, category):
    api = api_as("receptionist")
    headers = {"Idempotency-Key": "retry-42"}
    first = api.post("/api/v1/cases", payload(world), headers=headers)
    again = api.post("/api/v1/cases", payload(world), headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Case.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict(world, api_as, category):
    api = api_as("receptionist")
    headers = {"Idempotency-Key": "retry-43"}
    api.post("/api/v1/cases", payload(world), headers=headers)
    other = api.post("/api/v1/cases", payload(world, title="另一件事"), headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_keys_belong_to_one_user(world, api_as, category):
    headers = {"Idempotency-Key": "shared"}
    a = api_as("receptionist").post("/api/v1/cases", payload(world), headers=headers)
    b = api_as("dispatcher").post("/api/v1/cases", payload(world), headers=headers)
    assert a.status_code == b.status_code == 201
    assert a.json()["code"] != b.json()["code"]


def test_refused_registration_does_not_burn_the_key(world, api_as, category):
    api = api_as("receptionist")
    headers = {"Idempotency-Key": "fix-and-retry"}
    bad = api.post(
        "/api/v1/cases",
        payload(world, parties=[{"role": "applicant", "name": "王小明", "phone": "123"}]),
        headers=headers,
    )
    assert bad.status_code == 422
    good = api.post("/api/v1/cases", payload(world), headers=headers)
    assert good.status_code == 201


def test_unknown_codes_are_422(world, api_as, category):
    api = api_as("receptionist")
    for field, value, code in [
        ("region", "999999999999", "unknown_region"),
        ("category", "no.such", "unknown_category"),
        ("center", 10**9, "unknown_center"),
        ("grid", "x", "unknown_grid"),
    ]:
        response = api.post("/api/v1/cases", payload(world, **{field: value}))
        assert response.status_code == 422, (field, response.content)
        assert response.json()["code"] == code


def test_registering_outside_ones_centers_is_forbidden(world, api_as, category):
    response = api_as("other_dispatcher").post(
        "/api/v1/cases", payload(world, center=world.county_center.pk)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_reference_data")
def test_two_threads_with_the_same_key_make_one_case(reference_data, world, category):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    token = create_token(user=world.receptionist, name="race").secret
    body = payload(world)
    barrier = threading.Barrier(2)
    results: list[tuple[int, str]] = []

    def worker():
        from django.db import connections

        try:
            api = ApiClient(token)
            barrier.wait()
            response = api.post("/api/v1/cases", body, headers={"Idempotency-Key": "race-1"})
            results.append((response.status_code, response.json()["code"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(status for status, _ in results) == [200, 201]
    assert results[0][1] == results[1][1]
    assert Case.objects.count() == 1


def test_a_registration_through_the_api_is_routed(world, api_as, category):
    """The API registers through intake like every door: classified, graded, recorded."""
    from fengqiao.routing.models import CaseRouting

    response = api_as("receptionist").post("/api/v1/cases", payload(world))
    assert response.status_code == 201
    case = Case.objects.get(code=response.json()["code"])
    assert CaseRouting.objects.filter(case=case).exists()
    first = case.events.get(seq=1)
    assert first.data["routing"]["risk_level"] == case.risk_level
    assert case.tier_level is not None


def test_a_category_retired_a_moment_ago_is_refused_at_once(world, api_as, category):
    """Categories are cached per process; retiring one clears the cache."""
    from fengqiao.cases.models import Category

    api = api_as("receptionist")
    assert api.post("/api/v1/cases", payload(world)).status_code == 201
    neighbor = Category.objects.get(code="dispute.neighbor")
    neighbor.is_active = False
    neighbor.save()
    response = api.post("/api/v1/cases", payload(world))
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_category"
