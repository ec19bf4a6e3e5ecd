"""Rooms, sessions and outcomes feeding the case loop."""

import datetime as dt

import pytest

from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case
from fengqiao.cases.services import verify_chain
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.mediation import services
from fengqiao.mediation.choices import AgreementStatus, Outcome, SessionStatus, TransferStatus
from fengqiao.mediation.models import Booking

from .conftest import PNG, at


def _schedule(world, med, case, *, days=1, room=None, actor=None, mediator=None):
    return services.schedule_session(
        case=case,
        mediator=mediator or med.zhou,
        starts_at=at(days),
        ends_at=at(days, 11),
        mode="room",
        room=room or med.room,
        actor=actor or world.mediator,
    )


def test_two_overlapping_bookings_of_one_room(world, med):
    services.book_room(room=med.room, starts_at=at(1, 9), ends_at=at(1, 11), actor=world.director)
    with pytest.raises(Conflict) as taken:
        services.book_room(
            room=med.room, starts_at=at(1, 10), ends_at=at(1, 12), actor=world.director
        )
    assert taken.value.code == "room_taken" and "第一调解室" in str(taken.value.message)
    # Touching ends is not an overlap; another room is free.
    services.book_room(room=med.room, starts_at=at(1, 11), ends_at=at(1, 12), actor=world.director)
    services.book_room(room=med.room2, starts_at=at(1, 10), ends_at=at(1, 12), actor=world.director)
    assert Booking.objects.count() == 3


def test_booking_times_are_checked(world, med):
    with pytest.raises(ValidationFailed):
        services.book_room(
            room=med.room, starts_at=at(1, 11), ends_at=at(1, 9), actor=world.director
        )


def test_first_session_starts_mediation(world, med, case):
    session = _schedule(world, med, case)
    case.refresh_from_db()
    assert case.status == Status.MEDIATING
    assert session.round == 1 and session.booking.room == med.room
    assert {p.role for p in session.participants.all()} == {"applicant", "respondent", "mediator"}
    actions = list(case.events.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == [Action.MEDIATE, Action.MEDIATION_SESSION]


def test_a_mediator_is_not_in_two_places(world, med, case):
    _schedule(world, med, case)
    other = world.register(title="另一起纠纷")
    with pytest.raises(Conflict) as busy:
        _schedule(world, med, other, room=med.room2)
    assert busy.value.code == "mediator_busy"


def test_agreement_signed_settles_the_case(world, med, case):
    session = _schedule(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        notes="双方同意",
        agreement=services.AgreementIn(
            facts="排水沟堵塞致楼下渗水",
            terms="一、李四于三日内疏通排水沟；\n二、赔偿张三维修费800元。",
            performance="2026年12月10日前付清",
        ),
    )
    agreement = session.agreement
    assert agreement.status == AgreementStatus.DRAFT and len(agreement.verification_code) == 10
    case.refresh_from_db()
    assert case.status == Status.MEDIATING  # not settled before it is signed
    parties = list(case.parties.order_by("id"))
    for party, role in zip(parties, ["applicant", "respondent"], strict=True):
        services.sign_agreement(
            agreement=agreement,
            role=role,
            name=party.name,
            party=party,
            method="screen",
            image=PNG,
            actor=world.mediator,
        )
    with pytest.raises(Conflict):
        services.sign_agreement(
            agreement=agreement,
            role="applicant",
            name="张三",
            party=parties[0],
            method="screen",
            image=PNG,
            actor=world.mediator,
        )
    services.sign_agreement(
        agreement=agreement,
        role="mediator",
        name="周桂兰",
        method="scan",
        image=PNG,
        actor=world.mediator,
    )
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert case.status == Status.RESOLVED
    assert agreement.number in case.result and "赔偿张三维修费800元" in case.result
    assert verify_chain(case).ok


def test_signature_must_be_an_image(world, med, case):
    session = _schedule(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn(facts="f", terms="t"),
    )
    with pytest.raises(ValidationFailed):
        services.sign_agreement(
            agreement=session.agreement,
            role="mediator",
            name="周桂兰",
            method="scan",
            image=b"%PDF-1.4",
            actor=world.mediator,
        )


def test_failure_by_the_mediator_waits_for_the_dispatcher(world, med, case):
    session = _schedule(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.FAILED,
        actor=world.mediator,
        failure_reason="被申请人拒不到场",
        next_unit=world.justice,
    )
    case.refresh_from_db()
    assert case.status == Status.MEDIATING
    with pytest.raises(PermissionDenied):
        services.dispatch_after(session=session, actor=world.mediator)
    services.dispatch_after(session=session, actor=world.dispatcher)
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.lead_unit == world.justice
    assert "被申请人拒不到场" in case.events.filter(action=Action.DISPATCH).last().note


def test_failure_recorded_by_the_dispatcher_dispatches_at_once(world, med, case):
    session = _schedule(world, med, case, actor=world.dispatcher)
    services.record_outcome(
        session=session,
        outcome=Outcome.FAILED,
        actor=world.dispatcher,
        failure_reason="分歧太大",
        next_unit=world.police,
    )
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED


def test_several_rounds(world, med, case):
    first = _schedule(world, med, case)
    first = services.record_outcome(
        session=first,
        outcome=Outcome.ADJOURNED,
        actor=world.mediator,
        notes="双方情绪激动，约定下周再谈",
    )
    second = _schedule(world, med, case, days=8)
    assert second.round == 2 and second.opened_at == first.starts_at
    assert first.status == SessionStatus.HELD


def test_one_open_session_at_a_time(world, med, case):
    _schedule(world, med, case)
    with pytest.raises(Conflict):
        _schedule(world, med, case, days=3, mediator=med.li, room=med.room2)


def test_conflicted_mediator_cannot_be_scheduled(world, med, case):
    med.li.set_phone("13800138000")  # the applicant's phone
    med.li.save()
    with pytest.raises(Conflict):
        _schedule(world, med, case, mediator=med.li)


def test_outsiders_cannot_schedule(world, med, case):
    with pytest.raises(PermissionDenied):
        _schedule(world, med, case, actor=world.police_handler)


def test_online_session_needs_a_link(world, med, case):
    with pytest.raises(ValidationFailed):
        services.schedule_session(
            case=case,
            mediator=med.zhou,
            starts_at=at(1),
            ends_at=at(1, 10),
            mode="online",
            online_link="zoom",
            actor=world.mediator,
        )
    session = services.schedule_session(
        case=case,
        mediator=med.zhou,
        starts_at=at(1),
        ends_at=at(1, 10),
        mode="online",
        online_link="https://meeting.example.cn/123",
        actor=world.mediator,
    )
    assert session.booking is None


def test_transferred_case_reports_back_to_the_sender(world, med):
    case = world.register(status=Status.HANDLING, lead_unit=world.police)
    transfer = services.send_transfer(
        case=case,
        kind="police",
        from_unit=world.police,
        to_unit=world.county_center,
        reason="邻里纠纷警情，适宜调解",
        actor=world.police_handler,
    )
    services.accept_transfer(transfer=transfer, actor=world.mediator)
    session = _schedule(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn(facts="f", terms="t"),
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CONCLUDED and transfer.outcome == Outcome.SUCCESS
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING  # the police resolve it


def test_judicial_confirmation(world, med, case):
    from fengqiao.org.choices import UnitType
    from fengqiao.testing.factories import make_department

    court = make_department(world.county, UnitType.COURT, "云梦县人民法院", world.county_center)
    session = _schedule(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn(facts="f", terms="t"),
    )
    agreement = session.agreement
    with pytest.raises(Conflict):
        services.refer_to_court(agreement=agreement, court=court, actor=world.mediator)
    for role, party in (("applicant", case.parties.first()), ("respondent", case.parties.last())):
        services.sign_agreement(
            agreement=agreement,
            role=role,
            name=party.name,
            party=party,
            method="screen",
            image=PNG,
            actor=world.mediator,
        )
    services.sign_agreement(
        agreement=agreement,
        role="mediator",
        name="周桂兰",
        method="screen",
        image=PNG,
        actor=world.mediator,
    )
    confirmation = services.refer_to_court(agreement=agreement, court=court, actor=world.mediator)
    services.record_ruling(
        confirmation=confirmation,
        confirmed=True,
        actor=world.dispatcher,
        ruling_number="（2026）鄂0923民特12号",
    )
    confirmation.refresh_from_db()
    assert confirmation.status == "confirmed"
    assert case.events.filter(action=Action.JUDICIAL).count() == 2


def test_dates_far_away_are_refused(world, med, case):
    with pytest.raises(ValidationFailed):
        services.book_room(
            room=med.room, starts_at=at(800), ends_at=at(800, 10), actor=world.director
        )
    with pytest.raises(ValidationFailed):
        services.book_room(
            room=med.room,
            starts_at=at(1, 8),
            ends_at=at(1, 8) + dt.timedelta(hours=13),
            actor=world.director,
        )
