"""Dispatch suggestions: category unit types × the case's region path in the center's
subtree, nearness, current load, past performance; tier center; returns per unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, AssignmentRole
from fengqiao.cases.models import Case, Category
from fengqiao.org.choices import UnitType
from fengqiao.routing.dispatch import suggest_units
from fengqiao.routing.selectors import settled_level_counts, unit_return_stats
from fengqiao.testing.factories import make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    return {
        "township_justice": make_department(
            world.township, UnitType.JUSTICE, "城关镇司法所", world.township_center
        ),
        "other_justice": make_department(
            world.other_township, UnitType.JUSTICE, "义堂镇司法所", world.other_township_center
        ),
        "committee": make_department(
            world.village, UnitType.MEDIATION_COMMITTEE, "村人民调解委员会", world.village_center
        ),
    }


def dispatch(world, case, unit):
    return case_services.transition(
        case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=unit
    )


def names(suggestions):
    return [s.unit.name for s in suggestions]


def test_ranked_by_category_unit_types_and_nearness(world, units, route):
    case = route(title="邻里纠纷", description="邻居楼上漏水，协商未果。")
    assert case.category.code == "dispute.neighbor"  # justice, then mediation committee
    suggestions = suggest_units(case)
    # The township's office before the county bureau; the other township's office and units
    # of other types (police) are not proposed.
    ranked = names(suggestions)
    assert ranked[0] == "城关镇司法所"
    assert ranked.index("城关镇司法所") < ranked.index("云梦县司法局")
    assert "义堂镇司法所" not in names(suggestions) and "云梦县公安局" not in names(suggestions)
    assert "村人民调解委员会" in names(suggestions)
    assert suggestions[0].role == AssignmentRole.LEAD
    committee = next(s for s in suggestions if s.unit == units["committee"])
    assert committee.role == AssignmentRole.CO  # another type: a co-handler
    assert any("司法" in r for r in suggestions[0].reasons)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_current_load_lowers_a_unit(world, units, route):
    for i in range(10):
        busy = route(phone=f"1390000{i:04d}", title=f"纠纷{i}")
        dispatch(world, busy, units["township_justice"])
    case = route(title="邻里纠纷", description="邻居楼上漏水。", phone="13800009999")
    ranked = names(suggest_units(case))
    assert ranked.index("云梦县司法局") < ranked.index("城关镇司法所")
    township = next(s for s in suggest_units(case) if s.unit == units["township_justice"])
    assert "在办10件" in township.reasons


def test_past_returns_on_the_category_lower_a_unit(world, units, route):
    for i in range(4):
        earlier = route(phone=f"1390001{i:04d}", title=f"邻里纠纷{i}", description="邻居漏水")
        earlier = dispatch(world, earlier, units["township_justice"])
        case_services.transition(
            case=earlier,
            action=Action.RETURN,
            actor=_handler(units["township_justice"]),
            note="不属于本所职责",
        )
    case = route(title="邻里纠纷", description="邻居楼上漏水。", phone="13800009998")
    suggestions = suggest_units(case)
    township = next(s for s in suggestions if s.unit == units["township_justice"])
    assert any("退回率100%" in r for r in township.reasons)
    assert names(suggestions).index("云梦县司法局") < names(suggestions).index("城关镇司法所")
    stats = unit_return_stats([units["township_justice"].pk, world.justice.pk])
    assert stats[units["township_justice"].pk]["returned"] == 4
    assert stats[units["township_justice"].pk]["reasons"][0] == "不属于本所职责"
    assert stats[world.justice.pk] == {"total": 0, "returned": 0, "reasons": []}


def _handler(unit):
    from fengqiao.org.choices import Role
    from fengqiao.testing.factories import staff

    existing = unit.memberships.filter(role=Role.HANDLER).first()
    return existing.user if existing else staff(unit, Role.HANDLER)


def test_tier_center_is_proposed_when_the_risk_puts_the_case_lower(world, units, route):
    case = route(title="邻里纠纷", description="邻居楼上漏水。", people_count=30)
    assert case.risk_level == "yellow"
    suggestions = suggest_units(case)
    center = next(s for s in suggestions if s.unit == world.township_center)
    assert any("乡镇级" in r for r in center.reasons)


def test_unit_types_come_from_the_suggestion_without_a_category(world, units, route):
    case = route(title="请问", description="想咨询一下情况。")
    assert case.category is None
    assert suggest_units(case) == [] or all(s.unit.is_center for s in suggest_units(case))
    case.routing.unit_types = ["public_security"]
    case.routing.save()
    case = Case.objects.get(pk=case.pk)
    ranked = names(suggest_units(case))
    assert "云梦县公安局" in ranked and "云梦县司法局" not in ranked


def test_suggestions_take_a_fixed_number_of_queries(world, units, route):
    case = route(title="邻里纠纷", description="邻居楼上漏水。")
    case = Case.objects.select_related("category", "region").get(pk=case.pk)
    with CaptureQueriesContext(connection) as ctx:
        suggest_units(case)
    assert len(ctx.captured_queries) <= 4  # candidates, tier center, load, history


def test_settled_levels_are_counted(world, units, route):
    case = route(title="邻里纠纷", description="邻居楼上漏水。")
    case = dispatch(world, case, units["township_justice"])
    handler = _handler(units["township_justice"])
    case_services.transition(case=case, action=Action.SIGN, actor=handler)
    case_services.transition(case=case, action=Action.RESOLVE, actor=handler, result="已调解")
    other = route(title="邻里纠纷", description="邻居吵架。", phone="13800009997")
    case_services.transition(
        case=other, action=Action.ANSWER, actor=world.dispatcher, result="已答复"
    )
    assert settled_level_counts(Case.objects.all()) == {3: 1, 4: 1}


def test_category_codes_of_the_default_rules_exist():
    from fengqiao.routing.defaults import CATEGORY_RISK, KEYWORD_RULES

    known = set(Category.objects.values_list("code", flat=True))
    assert set(KEYWORD_RULES) <= known and set(CATEGORY_RISK) <= known


def test_lead_and_co_handlers_parts_are_tracked(world, route):
    from fengqiao.routing.selectors import co_handling_parts

    case = route(title="邻里纠纷", description="邻居打架后又因漏水起纠纷。")
    case = case_services.transition(
        case=case,
        action=Action.DISPATCH,
        actor=world.dispatcher,
        lead_unit=world.justice,
        co_units=[world.police],
    )
    case_services.report_co_handling(
        case=case, actor=world.police_handler, unit=world.police, report="已出警调查，双方已平息"
    )
    parts = co_handling_parts(case)
    assert {(p.unit, p.role) for p in parts} == {
        (world.justice, AssignmentRole.LEAD),
        (world.police, AssignmentRole.CO),
    }
    co = next(p for p in parts if p.role == AssignmentRole.CO)
    assert co.report == "已出警调查，双方已平息" and co.reported_at is not None
    # 首接负责: who first received it is on the case.
    assert (case.first_unit, case.registered_by) == (world.county_center, world.receptionist)
