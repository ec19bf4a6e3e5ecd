import pytest

from fengqiao.cases import services
from fengqiao.cases.choices import Action, PartyRole, Status
from fengqiao.cases.codes import make_code
from fengqiao.cases.tracking import track_case
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.intake.types import PartyIn

pytestmark = pytest.mark.django_db


def _with_respondent(world, **kwargs):
    parties = [
        PartyIn(name="张三", role=PartyRole.APPLICANT, phone="13800138000"),
        PartyIn(name="李四", role=PartyRole.RESPONDENT, phone="13900139999"),
    ]
    return world.register(parties=parties, **kwargs)


def test_right_code_and_digits_show_a_plain_timeline(world):
    case = _with_respondent(world, status=Status.CLOSED)
    view = track_case(code=case.code, phone_last4="8000")
    assert view.code == case.code
    assert view.status == Status.CLOSED
    assert view.can_rate is True
    assert view.result == "已调解，双方达成协议"
    texts = [step.text for step in view.timeline]
    assert texts == ["您的诉求已受理", "已转交承办单位办理", "承办单位已签收，正在办理",
                     "已办结，等待审核", "已结案"]  # fmt: skip
    dumped = repr(view)
    for secret in ("李四", "张三", "测试说明", "justice_handler", "dispatcher", "13900139999"):
        assert secret not in dumped


def test_internal_events_are_skipped(world):
    case = world.register(status=Status.HANDLING)
    services.record_event(case=case, action=Action.COMMENT, actor=world.director, note="内部备注")
    view = track_case(code=case.code, phone_last4="8000")
    assert len(view.timeline) == 3
    assert "内部备注" not in repr(view)
    assert view.result == "" and view.can_rate is False


def test_respondent_digits_and_missing_case_give_the_same_answer(world):
    case = _with_respondent(world)
    with pytest.raises(NotFound) as wrong_digits:
        track_case(code=case.code, phone_last4="9999")
    missing = make_code("420923", case.registered_at.date(), 99999)
    with pytest.raises(NotFound) as no_case:
        track_case(code=missing, phone_last4="8000")
    assert str(wrong_digits.value.message) == str(no_case.value.message)
    assert wrong_digits.value.code == no_case.value.code == "not_found"


def test_bad_check_character_is_refused_before_lookup(world, django_assert_num_queries):
    case = world.register()
    bad = case.code[:19] + ("0" if case.code[19] != "0" else "1")
    with django_assert_num_queries(0), pytest.raises(ValidationFailed) as err:
        track_case(code=bad, phone_last4="8000")
    assert err.value.code == "invalid_code"
