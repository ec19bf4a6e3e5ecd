"""点单: the citizen's or the window's choice, the center's decision, conflicts of interest."""

import pytest

from fengqiao.cases.choices import Action, Status
from fengqiao.core.errors import Conflict, PermissionDenied
from fengqiao.mediation import services
from fengqiao.mediation.choices import RequestStatus

from .conftest import RESPONDENT_PHONE


def test_citizen_picks_and_center_confirms(world, med, case):
    request = services.request_mediator(case=case, mediator=med.zhou, by="citizen")
    assert request.status == RequestStatus.PENDING
    event = case.events.order_by("-seq").first()
    assert event.action == Action.MEDIATION_REQUEST and event.actor_label == "群众"

    decided = services.decide_request(request=request, actor=world.dispatcher, confirm=True)
    assert decided.status == RequestStatus.CONFIRMED
    assert decided.assigned == med.zhou


def test_center_proposes_another_with_a_reason(world, med, case):
    request = services.request_mediator(
        case=case, mediator=med.zhou, by="staff", actor=world.receptionist
    )
    decided = services.decide_request(
        request=request,
        actor=world.director,
        confirm=False,
        proposed=med.li,
        reason="周桂兰本周外出培训",
    )
    assert decided.status == RequestStatus.PROPOSED and decided.assigned == med.li
    assert "周桂兰本周外出培训" in case.events.order_by("-seq").first().note


def test_a_new_choice_withdraws_the_pending_one(world, med, case):
    first = services.request_mediator(case=case, mediator=med.zhou, by="citizen")
    services.request_mediator(case=case, mediator=med.li, by="citizen")
    first.refresh_from_db()
    assert first.status == RequestStatus.WITHDRAWN


def test_mediator_who_is_a_party_is_refused_with_the_reason(world, med, case):
    med.li.set_phone(RESPONDENT_PHONE)
    med.li.save()
    with pytest.raises(Conflict) as refused:
        services.request_mediator(case=case, mediator=med.li, by="citizen")
    assert refused.value.code == "conflict_of_interest"
    assert "当事人" in str(refused.value.message)
    assert not case.mediator_requests.exists()


def test_declared_relative_of_a_party_is_refused(world, med, case):
    services.declare_relative(
        mediator=med.zhou,
        name="李四",
        relation="表弟",
        phone=RESPONDENT_PHONE,
        actor=world.director,
    )
    with pytest.raises(Conflict) as refused:
        services.request_mediator(case=case, mediator=med.zhou, by="citizen")
    assert "表弟" in str(refused.value.message)


def test_mediator_who_handled_the_case_is_refused(world, med):
    case = world.register(status=Status.HANDLING)
    med.li.user = world.justice_handler
    med.li.save()
    assert any("承办人" in r for r in services.conflicts(case, med.li))


def test_window_roles_only(world, med, case):
    with pytest.raises(PermissionDenied):
        services.request_mediator(
            case=case, mediator=med.zhou, by="staff", actor=world.police_handler
        )


def test_only_open_cases_before_mediation(world, med):
    case = world.register(status=Status.HANDLING)
    with pytest.raises(Conflict):
        services.request_mediator(case=case, mediator=med.zhou, by="citizen")


def test_a_mediator_of_another_county_cannot_be_picked(world, med, case):
    other = services.save_mediator(
        data=services.MediatorIn(name="外县调解员", center=world.other_county_center),
        actor=None,
    )
    with pytest.raises(Exception, match="名录"):
        services.request_mediator(case=case, mediator=other, by="citizen")


def test_a_township_case_may_get_a_county_mediator(world, med):
    from fengqiao.mediation.selectors import candidates_for

    case = world.register(center=world.township_center)
    other_township = services.save_mediator(
        data=services.MediatorIn(name="义堂调解员", center=world.other_township_center), actor=None
    )
    found = set(candidates_for(case))
    assert med.zhou in found and other_township not in found
