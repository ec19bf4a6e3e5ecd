import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases.choices import PartyRole, Status
from fengqiao.cases.models import Case
from fengqiao.intake.types import PartyIn

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


@pytest.fixture
def cases(world):
    base = timezone.now() - dt.timedelta(days=10)
    made = {}
    made["old"] = world.register(now=base, title="去年的排水沟纠纷")
    made["handling"] = world.register(status=Status.HANDLING, now=base + dt.timedelta(days=1))
    made["township"] = world.register(
        center=world.township_center,
        region=world.village,
        now=base + dt.timedelta(days=2),
        parties=[PartyIn(name="赵六", role=PartyRole.APPLICANT, phone="13511112222")],
    )
    made["other_county"] = world.register(
        center=world.other_county_center,
        region=world.other_county_center.region,
        now=base + dt.timedelta(days=3),
    )
    made["new"] = world.register(now=base + dt.timedelta(days=4), title="新的噪音投诉")
    return made


def test_list_is_scoped_and_newest_first(world, api_as, cases):
    listed = codes(api_as("dispatcher").get("/api/v1/cases"))
    assert listed == [cases[k].code for k in ("new", "township", "handling", "old")]
    township = codes(api_as("township_dispatcher").get("/api/v1/cases"))
    assert township == [cases["township"].code]


def test_filters(world, api_as, cases):
    api = api_as("dispatcher")
    assert codes(api.get("/api/v1/cases", {"status": ["handling"]})) == [cases["handling"].code]
    assert set(codes(api.get("/api/v1/cases", {"status": ["handling", "registered"]}))) == {
        cases[k].code for k in ("handling", "township", "old", "new")
    }
    assert len(codes(api.get("/api/v1/cases", {"category": "dispute"}))) == 4
    assert codes(api.get("/api/v1/cases", {"unit": world.justice.pk})) == [cases["handling"].code]
    assert len(codes(api.get("/api/v1/cases", {"region": world.village.code}))) == 4
    assert codes(api.get("/api/v1/cases", {"region": world.other_township.code})) == []
    assert codes(api.get("/api/v1/cases", {"q": "噪音"})) == [cases["new"].code]
    assert codes(api.get("/api/v1/cases", {"q": "13511112222"})) == [cases["township"].code]
    assert codes(api.get("/api/v1/cases", {"overdue": True})) == []
    day = timezone.localdate(cases["handling"].registered_at).isoformat()
    assert codes(api.get("/api/v1/cases", {"registered_from": day, "registered_to": day})) == [
        cases["handling"].code
    ]
    assert codes(api.get("/api/v1/cases", {"risk_level": "red"})) == []


def test_unknown_filter_codes_are_422(world, api_as):
    api = api_as("dispatcher")
    assert api.get("/api/v1/cases", {"region": "000"}).json()["code"] == "unknown_region"
    assert api.get("/api/v1/cases", {"category": "nope"}).json()["code"] == "unknown_category"
    assert api.get("/api/v1/cases", {"cursor": "!!!"}).json()["code"] == "invalid_cursor"


def test_cursor_pagination_walks_everything_once(world, api_as, cases):
    api = api_as("dispatcher")
    seen, cursor = [], ""
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/v1/cases", params).json()
        seen += [i["code"] for i in body["items"]]
        assert body["count"] is None
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == codes(api.get("/api/v1/cases"))
    page2 = api.get("/api/v1/cases", {"limit": 2, "page": 2, "with_count": True}).json()
    assert [i["code"] for i in page2["items"]] == seen[2:4]
    assert page2["count"] == 4


def test_list_query_count_does_not_grow(world, api_as, cases, django_assert_num_queries):
    api = api_as("dispatcher")
    api.get("/api/v1/categories")  # the token's first use stamps last_used_at
    # one page of cases with their related rows (the token and memberships are remembered)
    with django_assert_num_queries(1):
        api.get("/api/v1/cases")
    for _ in range(5):
        world.register(status=Status.DISPATCHED)
    with django_assert_num_queries(1):
        response = api.get("/api/v1/cases", {"limit": 50})
    assert (
        len(response.json()["items"])
        == Case.objects.exclude(center=world.other_county_center).count()
    )
