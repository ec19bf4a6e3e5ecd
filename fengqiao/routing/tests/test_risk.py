"""Risk grading: every factor, the tier rules, scheme switching, re-grading on events and the
notice to the center's directors when a case rises to the top level."""

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, Category
from fengqiao.intake.types import PartyIn
from fengqiao.notifications.models import Message
from fengqiao.regions.models import Level
from fengqiao.routing import risk
from fengqiao.routing.models import CategoryRisk, RiskScheme, RiskWeight, RiskWord
from fengqiao.routing.services import activate_scheme, apply_risk

pytestmark = pytest.mark.django_db

NEUTRAL = "楼上住户装修噪音扰民，多次协商未果。"


def codes(case):
    return {f["code"] for f in case.risk_factors}


def factor(case, code):
    return [f for f in case.risk_factors if f["code"] == code]


def test_category_base_risk_comes_from_the_nearest_configured_node(route):
    labor = route(title="拖欠工资", description="公司拖欠工资两个月。")
    assert labor.category.code == "dispute.labor"
    [f] = factor(labor, "category")
    assert f["weight"] == 15 and "劳动争议" in f["detail"]
    # dispute.neighbor has no base of its own: its parent "dispute" gives 5.
    neighbor = route(title="邻里纠纷", description="邻居楼上漏水。", phone="13900000002")
    assert factor(neighbor, "category")[0]["weight"] == 5
    assert neighbor.risk_level == "blue" and neighbor.risk_score == 5


def test_risk_words_add_their_weights_up_to_the_cap(route):
    case = route(title="讨薪", description="对方扬言报复，说要同归于尽，还要跳楼。")
    words = factor(case, "words")
    details = " ".join(f["detail"] for f in words)
    assert "同归于尽" in details and "（绝望/极端）" in details
    # 50 + 40 + 30 + 20 + 15 would be 155; all words together add at most 60.
    assert sum(f["weight"] for f in words) == 60
    assert case.risk_level == "red"


def test_risk_words_are_editable(route):
    RiskWord.objects.create(word="煤气罐", group="violence", weight=35)
    case = route(title="邻里纠纷", description="邻居在楼道放了煤气罐。")
    assert any("煤气罐" in f["detail"] and f["weight"] == 35 for f in factor(case, "words"))
    word = RiskWord.objects.get(word="煤气罐")
    word.is_active = False
    word.save()  # as the admin does
    case = route(title="邻里纠纷", description="邻居在楼道放了煤气罐。", phone="13900000003")
    assert not factor(case, "words")


@pytest.mark.parametrize(
    ("people", "expected"),
    [(1, set()), (4, set()), (5, {"group"}), (29, {"group"}), (30, {"large_group"})],
)
def test_people_involved(route, people, expected):
    case = route(description=NEUTRAL, people_count=people)
    assert codes(case) & {"group", "large_group"} == expected


def test_group_thresholds_and_weights_are_editable(route):
    RiskWeight.objects.filter(code="group").update(threshold=3, weight=33)
    case = route(description=NEUTRAL, people_count=3)
    assert factor(case, "group")[0]["weight"] == 33


def test_repeated_appeals_by_phone_id_number_or_address_within_90_days(route, world):
    now = timezone.now()
    old = now - dt.timedelta(days=120)
    route(phone="13911111111", now=old)  # too old to count
    route(phone="13911111111", now=now - dt.timedelta(days=30))
    route(
        phone="13922222222",
        parties=[PartyIn(name="赵六", id_number="11010519491231002X")],
        now=now - dt.timedelta(days=10),
    )
    route(phone="13933333333", address="城关镇幸福路8号", now=now - dt.timedelta(days=5))
    case = route(
        parties=[PartyIn(name="王五", phone="13911111111", id_number="11010519491231002X")],
        address="城关镇幸福路8号",
        now=now,
    )
    [f] = factor(case, "repeat")
    assert "3次" in f["detail"] and f["weight"] == 30
    assert case.routing.repeat_count == 3


def test_vulnerable_parties(route):
    case = route(
        parties=[
            PartyIn(name="王五", phone="13944444444", is_elderly=True),
            PartyIn(name="王小五", role="other", is_minor=True),
            PartyIn(name="李四", role="respondent", is_disabled=True),
        ]
    )
    assert {"elderly", "minor", "disabled"} <= codes(case)
    assert factor(case, "elderly")[0]["detail"] == "王*"


def test_parties_earlier_red_case(route):
    red = route(title="欠薪", description="扬言跳楼讨薪", people_count=30, phone="13955555555")
    assert red.risk_level == "red"
    later = route(description=NEUTRAL, phone="13955555555")
    [f] = factor(later, "prior_red")
    assert red.code in f["detail"] and f["weight"] == 25


def test_history_counts_only_the_applicants_repeats_but_any_partys_red_cases(route):
    # One probe answers both questions; each keeps its own rules. An old red case of the
    # respondent counts (red cases have no window), but is no repeat appeal: it is older
    # than 90 days, and the respondent is not the one appealing again.
    long_ago = timezone.now() - dt.timedelta(days=200)
    red = route(
        title="欠薪",
        description="扬言跳楼讨薪",
        people_count=30,
        phone="13966666666",
        now=long_ago,
    )
    assert red.risk_level == "red"
    route(description=NEUTRAL, phone="13966666666")  # a recent appeal by the respondent
    case = route(
        description=NEUTRAL,
        parties=[
            PartyIn(name="王五", phone="13988888888"),
            PartyIn(name="李四", role="respondent", phone="13966666666"),
        ],
    )
    assert red.code in factor(case, "prior_red")[0]["detail"]
    assert factor(case, "repeat") == []
    assert case.routing.repeat_count == 0


def test_returns_overdue_and_reopen_raise_the_score(
    route, world, django_capture_on_commit_callbacks
):
    case = route(description=NEUTRAL)
    base = case.risk_score
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.transition(
            case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice
        )
        case_services.transition(
            case=case, action=Action.RETURN, actor=world.justice_handler, note="不属于本单位职责"
        )
    case.refresh_from_db()
    assert factor(case, "returned")[0]["weight"] == 5
    with django_capture_on_commit_callbacks(execute=True):
        case_services.update_case(
            case=case, changes={"is_overdue": True}, actor=None, actor_kind="system"
        )
    case.refresh_from_db()
    assert "overdue" in codes(case)
    assert case.risk_score == base + 5 + 15


def test_reopened_counts(world, route):
    case = world.register(status=Status.CLOSED)
    case_services.transition(case=case, action=Action.REOPEN, actor=world.director, note="不满意")
    assessment = risk.grade_risk(Case.objects.get(pk=case.pk))
    assert [f["weight"] for f in assessment.factors if f["code"] == "reopened"] == [10]


def test_a_factor_switched_off_no_longer_fires(route):
    RiskWeight.objects.filter(code="large_group").update(is_active=False)
    case = route(description=NEUTRAL, people_count=50)
    assert codes(case) & {"group", "large_group"} == {"group"}


def test_category_base_scores_are_editable(route):
    CategoryRisk.objects.filter(category__code="dispute").update(score=35)
    case = route(description=NEUTRAL)
    assert case.risk_score == 35 and case.risk_level == "yellow"


@pytest.mark.parametrize(
    ("description", "people", "level", "tier"),
    [
        (NEUTRAL, 1, "blue", Level.VILLAGE),
        (NEUTRAL, 30, "yellow", Level.TOWNSHIP),
        ("对方扬言报复，说要跳楼。", 1, "red", Level.COUNTY),
    ],
)
def test_tier_follows_the_level(route, world, description, people, level, tier):
    case = route(description=description, people_count=people)
    assert (case.risk_level, case.tier_level) == (level, tier)
    assert risk.tier_for(level) == tier
    expected_center = {
        Level.VILLAGE: world.village_center,
        Level.TOWNSHIP: world.township_center,
        Level.COUNTY: world.county_center,
    }[tier]
    assert case.routing.tier_center == expected_center
    # Only the top level gets a named 包案 leader: the tier center's director.
    assert case.responsible_leader == (world.director if level == "red" else None)


def test_village_without_a_center_goes_to_the_township(route, world):
    village = world.township.children.order_by("code")[1]
    case = route(description=NEUTRAL, region=village)
    assert case.tier_level == Level.VILLAGE
    assert case.routing.tier_center == world.township_center


def test_the_receptionists_level_is_kept_as_a_floor(route):
    case = route(description=NEUTRAL, risk_level="yellow")
    assert case.risk_level == "yellow" and case.risk_score == 5
    assert factor(case, "manual")[0]["weight"] == 0
    # A later re-grade keeps it.
    apply_risk(case=case)
    case.refresh_from_db()
    assert case.risk_level == "yellow"


def test_four_level_scheme(route, world):
    activate_scheme(scheme=RiskScheme.objects.get(code="four_levels"))
    assert [lv.code for lv in risk.active_scheme().levels] == ["blue", "yellow", "orange", "red"]
    orange = route(description="对方扬言报复")  # 5 + 20 + 30 = 55
    assert (orange.risk_level, orange.risk_score, orange.tier_level) == ("orange", 55, 3)
    assert orange.responsible_leader is None
    red = route(description="扬言报复，要跳楼", people_count=5, phone="13966666666")
    assert red.risk_level == "red" and red.responsible_leader == world.director
    assert risk.resolve_days_for("orange") == 20


def test_green_yellow_red_scheme(route):
    activate_scheme(scheme=RiskScheme.objects.get(code="green_yellow_red"))
    case = route(description=NEUTRAL)
    assert case.risk_level == "green" and case.tier_level == Level.VILLAGE
    assert RiskScheme.objects.filter(is_active=True).count() == 1


def test_rise_to_red_notifies_the_center_directors(
    route, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = route(description=NEUTRAL)
    assert case.risk_level == "blue"
    assert not Message.objects.filter(kind="risk_red").exists()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.update_case(
            case=case,
            changes={"description": "对方扬言报复，说要跳楼。", "people_count": 12},
            actor=world.dispatcher,
        )
    case.refresh_from_db()
    assert case.risk_level == "red"
    [message] = Message.objects.filter(kind="risk_red")
    assert message.recipient == world.director
    assert case.code in message.body and "跳楼" in message.body
    assert case.code in message.link
    # Grading again at the same level sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        apply_risk(case=case)
    assert Message.objects.filter(kind="risk_red").count() == 1


def test_registering_a_red_case_notifies_at_once(route, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = route(description="农民工集体上访讨薪，扬言堵路。", people_count=40)
    assert case.risk_level == "red"
    assert Message.objects.filter(kind="risk_red", recipient=world.director).count() == 1


def test_factors_are_stored_and_recorded_in_the_case_history(route):
    case = route(description="扬言报复", people_count=6)
    assert all({"code", "label", "weight", "detail"} <= set(f) for f in case.risk_factors)
    assert case.risk_score == sum(f["weight"] for f in case.risk_factors)
    # Graded before the case was stored: the registration event records the grading.
    event = case.events.get(action=Action.REGISTER)
    assert event.data["routing"]["risk_level"] == case.risk_level
    assert event.data["routing"]["risk_score"] == case.risk_score
    assert event.data["routing"]["risk_factors"] == case.risk_factors
    assert not case.events.filter(action=Action.UPDATE).exists()


def test_unknown_category_without_base_risk(route):
    Category.objects.create(code="x.test", name="测试分类", kind="other")
    case = route(description=NEUTRAL, category=Category.objects.get(code="x.test"))
    assert "category" not in codes(case)


def test_delegate_and_escalate_move_the_tier_and_a_rise_raises_it(
    route, world, django_capture_on_commit_callbacks
):
    case = route(description=NEUTRAL, people_count=30)
    assert (case.risk_level, case.tier_level) == ("yellow", Level.TOWNSHIP)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.transition(
            case=case,
            action=Action.DELEGATE,
            actor=world.dispatcher,
            target_center=world.township_center,
            note="交乡镇综治中心办理",
        )
    case.refresh_from_db()
    assert (case.center, case.tier_level) == (world.township_center, Level.TOWNSHIP)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.transition(
            case=case,
            action=Action.ESCALATE,
            actor=world.township_dispatcher,
            target_center=world.county_center,
            note="需县级协调",
        )
    case.refresh_from_db()
    # Re-grading after the move keeps the tier the dispatcher chose.
    assert (case.center, case.tier_level, case.risk_level) == (
        world.county_center,
        Level.COUNTY,
        "yellow",
    )
    # A later rise to red keeps (or raises) the tier, never lowers it.
    with django_capture_on_commit_callbacks(execute=True):
        case_services.update_case(
            case=case, changes={"description": "对方扬言报复，要跳楼。"}, actor=world.dispatcher
        )
    case.refresh_from_db()
    assert (case.risk_level, case.tier_level) == ("red", Level.COUNTY)
    assert case.responsible_leader == world.director
