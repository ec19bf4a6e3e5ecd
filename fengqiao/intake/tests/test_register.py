import datetime as dt

import pytest
from django.db import connection

from fengqiao.cases import services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.cases.selectors import search_cases, visible_cases
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.intake.types import PartyIn
from fengqiao.testing.factories import register

pytestmark = pytest.mark.django_db
NOON_CST = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing


def register_at(world, **kw):
    params = {
        "actor": world.receptionist,
        "center": world.county_center,
        "channel": "window",
        "title": "工资拖欠",
        "description": "某建筑公司拖欠农民工工资三个月。",
        "region": world.village,
        "parties": [PartyIn(name="李四", phone="13912345678", id_number="11010519491231002X")],
        "now": NOON_CST,
    }
    params.update(kw)
    return register(**params)


def test_codes_follow_county_date_and_sequence(world):
    first = register_at(world)
    second = register_at(world)
    assert first.code == "42092320261122000017"[:14] + "00001" + first.code[-1]
    assert second.code[14:19] == "00002"
    # A township center registers under its county's code.
    third = register_at(world, actor=world.township_dispatcher, center=world.township_center)
    assert third.code.startswith("42092320261122") and third.code[14:19] == "00003"


def test_personal_data_is_encrypted_and_searchable_by_exact_value(world):
    case = register_at(world)
    raw = Party.objects.filter(case=case).values("phone_encrypted", "id_number_encrypted").get()
    assert "13912345678" not in raw["phone_encrypted"]
    party = case.parties.get()
    assert party.phone == "13912345678"
    assert party.masked_phone == "139****5678"
    assert party.masked_id_number == "110105********002X"
    assert party.masked_name == "李*"
    qs = visible_cases(world.dispatcher)
    assert list(search_cases(qs, "139 1234 5678")) == [case]
    assert list(search_cases(qs, "11010519491231002x")) == [case]
    assert list(search_cases(qs, "13900000000")) == []
    with connection.cursor() as cur:
        cur.execute("SELECT phone_encrypted FROM cases_party")
        assert all("1391234" not in row[0] for row in cur.fetchall())


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(world):
    with pytest.raises(ValidationFailed, match="身份证号码不正确"):
        register_at(world, parties=[PartyIn(name="王五", id_number="110105194912310021")])
    with pytest.raises(ValidationFailed, match="联系电话"):
        register_at(world, parties=[PartyIn(name="王五", phone="12345")])
    with pytest.raises(ValidationFailed, match="申请人"):
        register_at(world, parties=[PartyIn(name="王五", role="respondent")])
    with pytest.raises(ValidationFailed, match="管辖范围"):
        register_at(world, region=world.county.parent.children.exclude(code="420923").first())
    assert Case.objects.count() == 0
    # The failed attempts did not use up sequence numbers.
    assert register_at(world).code[14:19] == "00001"


def test_registration_writes_the_first_event(world):
    case = register_at(world)
    event = case.events.get()
    assert (event.action, event.from_status, event.to_status) == ("register", "", "registered")
    assert event.actor == world.receptionist and event.unit == world.county_center
    assert event.prev_hash == "" and len(event.hash) == 64
    assert case.first_unit == world.county_center and case.registered_by == world.receptionist


def test_a_handler_cannot_register(world):
    with pytest.raises(PermissionDenied):
        register_at(world, actor=world.police_handler)


def test_events_are_append_only(world):
    event = register_at(world).events.get()
    event.note = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_chain_verification_finds_the_first_broken_link(world):
    case = world.register(status=Status.CLOSED)
    assert services.verify_chain(case).ok
    assert services.verify_chain(case).events == 5
    third = case.events.get(seq=3)
    CaseEvent.objects.filter(pk=third.pk).update(note="改过的说明")
    report = services.verify_chain(case)
    assert not report.ok and report.broken_seq == 3 and report.reason == "content changed"


def test_transition_actions_are_recorded_in_order(world):
    case = world.register(status=Status.ARCHIVED)
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        Action.REGISTER,
        Action.DISPATCH,
        Action.SIGN,
        Action.RESOLVE,
        Action.CLOSE,
        Action.ARCHIVE,
    ]
    assert case.status == Status.ARCHIVED and case.satisfaction == "satisfied"


def test_chain_verifies_when_the_writer_passed_a_beijing_time(world):
    import zoneinfo

    beijing = dt.datetime(2026, 11, 22, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    case = register_at(world, now=beijing)
    case.refresh_from_db()
    assert services.verify_chain(case).ok
