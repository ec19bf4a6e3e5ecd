"""化解层级 on the dashboard: how many cases were settled in the village, the township and the
county (小事不出村、大事不出镇), with their shares, kept current by the rollups."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import override_settings

from fengqiao.analytics import rollups
from fengqiao.analytics.models import CaseRollupState, RollupCount
from fengqiao.analytics.selectors import dashboard
from fengqiao.cases import hooks, services
from fengqiao.cases.choices import Action, Status
from fengqiao.intake.types import PartyIn
from fengqiao.org.choices import Role
from fengqiao.testing.factories import register, staff

pytestmark = pytest.mark.django_db(transaction=True)
HANDLERS = ["fengqiao.analytics.rollups.on_case_event"]


@pytest.fixture
def rollups_live():
    with override_settings(FENGQIAO_CASE_EVENT_HANDLERS=HANDLERS):
        hooks.handlers.cache_clear()
        yield
    hooks.handlers.cache_clear()


def answered_at(world, center, actor):
    case = register(
        actor=actor, center=center, channel="window", title="当场答复", description="宅基地政策",
        region=world.village, parties=[PartyIn(name="赵六", phone="13711112222")],
    )  # fmt: skip
    return services.transition(case=case, action=Action.ANSWER, actor=actor, result="已答复")


def settle_some(world):
    village_receptionist = staff(world.village_center, Role.RECEPTIONIST, "village_desk")
    answered_at(world, world.village_center, village_receptionist)  # 村
    answered_at(world, world.township_center, world.township_dispatcher)  # 镇
    answered_at(world, world.township_center, world.township_dispatcher)  # 镇
    world.register(status=Status.RESOLVED)  # the county's justice bureau: 县
    return world.register(status=Status.HANDLING)  # not settled yet


def levels(dash):
    return [(s.level, s.count, s.share) for s in dash.settled_levels]


def test_dashboard_counts_cases_settled_at_each_level(world, rollups_live):
    open_case = settle_some(world)
    dash = dashboard(world.county)
    assert levels(dash) == [(5, 1, 0.25), (4, 2, 0.5), (3, 1, 0.25)]
    # Settling one more in the county moves the figures at once.
    services.transition(case=open_case, action=Action.RESOLVE, actor=world.justice_handler,
                        result="已化解")  # fmt: skip
    assert levels(dashboard(world.county)) == [(5, 1, 0.2), (4, 2, 0.4), (3, 2, 0.4)]
    data = dashboard(world.county).as_dict()
    assert data["by_settled"] == {"5": 1, "4": 2, "3": 2}
    # The incremental counts are the ones a rebuild computes from the cases.
    before = set(
        RollupCount.objects.filter(dimension="settled", n__gt=0).values_list(
            "path", "month", "value", "n"
        )
    )
    rollups.rebuild()
    after = set(
        RollupCount.objects.filter(dimension="settled").values_list("path", "month", "value", "n")
    )
    assert before == after and after
    baseline = rollups.group_by_baseline(world.county_center.region_path)["settled"]
    assert baseline == {5: 1, 4: 2, 3: 2}


def test_a_township_dashboard_counts_its_levels_live(world, rollups_live):
    settle_some(world)
    dash = dashboard(world.township)
    assert dash.source == "live"
    assert levels(dash) == [(5, 1, 0.3333), (4, 2, 0.6667), (3, 0, 0.0)]


def test_dashboard_page_shows_the_levels_in_both_languages(world, client, rollups_live):
    settle_some(world)
    client.force_login(world.leader)
    html = client.get("/analytics/", {"region": world.county.code}).content.decode()
    assert "化解层级" in html and "村级化解" in html and "镇级化解" in html and "50%" in html
    english = client.get(
        "/analytics/", {"region": world.county.code}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Settled in the village" in english and "村级化解" not in english


def test_migration_adds_the_levels_of_cases_settled_before(world, rollups_live):
    settle_some(world)
    expected = levels(dashboard(world.county))
    RollupCount.objects.filter(dimension="settled").delete()
    for state in CaseRollupState.objects.all():
        state.values.pop("settled", None)
        state.save()
    assert levels(dashboard(world.county))[0][1] == 0
    migration = import_module("fengqiao.analytics.migrations.0004_settled_level_rollups")
    migration.add_settled(apps, connection.schema_editor())
    migration.add_settled(apps, connection.schema_editor())  # twice: nothing counted twice
    assert levels(dashboard(world.county)) == expected
