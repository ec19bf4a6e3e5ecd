import pytest
from django.test import override_settings

from fengqiao.analytics import rollups
from fengqiao.analytics.models import RollupCount
from fengqiao.analytics.selectors import dashboard
from fengqiao.cases import services
from fengqiao.cases.choices import Action, Status
from fengqiao.intake.types import PartyIn
from fengqiao.testing.factories import register

pytestmark = pytest.mark.django_db(transaction=True)
HANDLERS = ["fengqiao.analytics.rollups.on_case_event"]


def as_plain(d: dict) -> dict:
    return {str(k or ""): v for k, v in d.items() if k not in (None, "", 0)}


@override_settings(FENGQIAO_CASE_EVENT_HANDLERS=HANDLERS)
def test_rollups_follow_each_case_change_and_match_a_full_group_by(world):
    from fengqiao.cases import hooks

    hooks.handlers.cache_clear()
    try:
        a = world.register(status=Status.ARCHIVED)
        b = world.register(status=Status.HANDLING)
        world.register(status=Status.REGISTERED)
        county = world.county_center.region
        dash = dashboard(county)
        assert dash.total == 3
        assert dash.by_status == {"archived": 1, "handling": 1, "registered": 1}
        assert dash.satisfaction == {"satisfied": 1}
        # A transition moves exactly one count.
        services.transition(case=b, action=Action.RESOLVE, actor=world.justice_handler,
                            result="已化解")  # fmt: skip
        dash = dashboard(county)
        assert dash.by_status == {"archived": 1, "resolved": 1, "registered": 1}
        assert dash.on_time == {"on_time": 2}
        # Incremental rollups equal a rebuild from scratch and the GROUP BY baseline.
        before = set(
            RollupCount.objects.exclude(n=0).values_list("path", "month", "dimension", "value", "n")
        )
        rollups.rebuild()
        after = set(RollupCount.objects.values_list("path", "month", "dimension", "value", "n"))
        assert before == after
        baseline = rollups.group_by_baseline(world.county_center.region_path)
        assert as_plain(baseline["status"]) == dashboard(county).by_status
        assert a.pk
    finally:
        hooks.handlers.cache_clear()


def test_a_township_dashboard_counts_live(world):
    register(
        actor=world.township_dispatcher, center=world.township_center, channel="window",
        title="镇里受理", description="镇里受理的纠纷", region=world.village,
        parties=[PartyIn(name="赵六", phone="13711112222")],
    )  # fmt: skip
    dash = dashboard(world.township)
    assert dash.source == "live" and dash.total == 1 and dash.by_status == {"registered": 1}


def test_dashboard_page_is_scoped(world, client):
    client.force_login(world.leader)
    rollups.rebuild()
    ok = client.get("/analytics/", {"region": world.county.code})
    assert ok.status_code == 200
    other = client.get("/analytics/data.json", {"region": "420902"})
    assert other.status_code == 404
    data = client.get("/analytics/data.json", {"region": world.county.code}).json()
    assert data["region"] == "420923"
