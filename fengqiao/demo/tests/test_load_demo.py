"""The demo deployment: a small build has every status, verifiable histories, varied texts,
valid personal data, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import zoneinfo

import pytest
from django.core.management import call_command
from django.db.models import Max

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, CaseEvent, EventCursor, Party
from fengqiao.cases.services import verify_chain
from fengqiao.cases.workflow import find
from fengqiao.core.validators import id_birth_date, is_mobile, is_resident_id
from fengqiao.demo.cases import build_cases
from fengqiao.demo.organization import build_organization
from fengqiao.demo.people import person

# A Friday morning in Wuhan time: the anchor every assertion below is made against.
ANCHOR = dt.datetime(2026, 11, 20, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_people_have_valid_ids_and_phones():
    rng = random.Random(1)
    for _ in range(300):
        p = person(rng, dt.date(2026, 6, 1), min_age=12, max_age=90)
        assert is_resident_id(p.id_number) and p.id_number.startswith("420923")
        assert id_birth_date(p.id_number) == p.birth
        assert is_mobile(p.phone)
        assert int(p.id_number[16]) % 2 == (1 if p.male else 0)


@pytest.mark.django_db(transaction=False)
def test_small_demo_build():
    org = build_organization()
    assert build_cases(org, count=120, now=ANCHOR) == 120

    cases = list(Case.objects.all())
    assert len(cases) == 120
    statuses = {c.status for c in cases}
    assert statuses == set(Status.values), set(Status.values) - statuses
    archived = sum(c.status == Status.ARCHIVED for c in cases)
    assert archived > 60  # most of a year's cases are done

    # Every history verifies and follows the transition table, in time order.
    for case in cases:
        assert verify_chain(case).ok, case.code
        events = list(case.events.order_by("seq"))
        assert all(a.created_at <= b.created_at for a, b in itertools.pairwise(events))
        assert events[-1].created_at <= ANCHOR + dt.timedelta(hours=1)
        for event in events[1:]:
            if event.from_status != event.to_status:
                assert find(event.action, event.from_status) is not None, (case.code, event)
    assert CaseEvent.objects.filter(action="return").exists()  # returned, then dispatched again

    # The last twelve months, with varied texts.
    first = min(c.registered_at for c in cases)
    assert ANCHOR - first <= dt.timedelta(days=366)
    descriptions = [c.description for c in cases]
    assert len(set(descriptions)) >= 0.95 * len(descriptions)
    assert len({c.title for c in cases}) >= 0.7 * len(cases)
    assert len({c.category_id for c in cases}) >= 15

    # Parties: valid numbers, elderly flags match the ID's birth date, repeat appellants.
    parties = list(Party.objects.all())
    phones = [p.phone for p in parties if p.phone_encrypted]
    assert phones and all(is_mobile(p) for p in phones)
    for party in parties:
        if party.id_number_encrypted:
            birth = id_birth_date(party.id_number)
            assert birth is not None and party.id_number.startswith("420923")
            day = party.case.registered_at.date()
            age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            assert party.is_elderly == (age >= 65) or abs(age - 65) <= 1
            assert not party.is_minor or age < 18
    applicant_phones = [p.phone_hash for p in parties if p.role == "applicant" and p.phone_hash]
    assert len(applicant_phones) > len(set(applicant_phones))  # someone came back
    assert any(c.people_count >= 10 for c in cases)  # group cases

    # load_demo adds the sections beyond the case loop (grids, mediation …), some with cases
    # of their own; running it again adds nothing.
    call_command("load_demo", cases=120, stdout=io.StringIO())
    with_sections = Case.objects.count()
    assert with_sections >= 120
    out = io.StringIO()
    call_command("load_demo", cases=120, stdout=out)
    assert Case.objects.count() == with_sections
    assert "nothing added" in out.getvalue()
    assert "Fengqiao@2026" in out.getvalue()

    # A longer run (or one that stopped half-way) goes on from where the last one ended.
    assert build_cases(org, count=130) == 10
    assert Case.objects.count() == with_sections + 10
    assert all(verify_chain(c).ok for c in Case.objects.all())
    # Every event the demo wrote counts as handled (it ran the handlers itself), so the task
    # worker of `make run` never handles a demo case's history again.
    last = dict(
        CaseEvent.objects.values("case_id").annotate(m=Max("seq")).values_list("case_id", "m")
    )
    assert dict(EventCursor.objects.values_list("case_id", "seq")) == last
