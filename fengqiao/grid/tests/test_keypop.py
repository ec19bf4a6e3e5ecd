"""Key populations: encrypted, masked, revealed only with a reason (logged for the director),
visits on the working-day calendar, alerts and supervision on missed visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import AlertLevel, KeyCategory, KeyRisk
from fengqiao.grid.models import KeyPerson, KeyPersonReveal, VisitAlert
from fengqiao.grid.services import keypop
from fengqiao.notifications.models import Message
from fengqiao.org.choices import Role
from fengqiao.testing.factories import staff

pytestmark = pytest.mark.django_db
ID = "420923199001011231"  # a valid check character


def register(gw, **kw):
    args = {
        "actor": gw.worker,
        "grid": gw.grid,
        "category": KeyCategory.COMMUNITY_CORRECTION,
        "name": "张建国",
        "risk": KeyRisk.HIGH,
        "id_number": ID,
        "phone": "13912345678",
        "address": "朝阳社区3栋2单元",
        "note": "每周报到",
        "responsible": gw.worker,
    }
    args.update(kw)
    return keypop.register_key_person(**args)


def test_personal_fields_are_encrypted_and_masked(gw):
    person = register(gw)
    row = KeyPerson.objects.get(pk=person.pk)
    assert "张建国" not in row.name_enc and row.name_mask == "张*国"
    assert ID not in row.id_number_enc and row.id_number_mask.startswith("420923")
    assert "*" in row.phone_mask and row.plain("address") == "朝阳社区3栋2单元"


def test_a_reveal_needs_a_reason_and_is_logged_for_the_director(gw, client):
    person = register(gw)
    with pytest.raises(ValidationFailed):
        keypop.reveal(actor=gw.worker, person=person, fields=["id_number"], reason="看")
    values = keypop.reveal(
        actor=gw.worker, person=person, fields=["id_number", "phone"], reason="上门走访核对身份"
    )
    assert values == {"id_number": ID, "phone": "13912345678"}
    log = KeyPersonReveal.objects.get()
    assert (
        log.user == gw.worker
        and log.reason == "上门走访核对身份"
        and log.fields == ["id_number", "phone"]
    )
    assert list(sel.reveal_log(gw.world.township_director)) == [log]
    client.force_login(gw.world.township_director)
    page = client.get("/grid/people/reveals/").content.decode()
    assert "上门走访核对身份" in page and "grid_worker" in page


def test_only_roles_that_need_them_see_key_people(gw):
    person = register(gw)
    w = gw.world
    assert sel.visible_key_people(gw.worker).filter(pk=person.pk).exists()
    assert sel.visible_key_people(w.township_director).filter(pk=person.pk).exists()
    for user in (
        gw.other_worker,
        w.township_dispatcher,
        w.receptionist,
        w.police_handler,
        w.leader,
    ):
        assert not sel.visible_key_people(user).exists(), user
        with pytest.raises(NotFound):
            keypop.reveal(actor=user, person=person, fields=["name"], reason="想看看而已")
    with pytest.raises(PermissionDenied):
        register(gw, actor=gw.other_worker, id_number="")


def test_a_duplicate_or_malformed_id_number_is_refused(gw):
    register(gw)
    with pytest.raises(Conflict):
        register(gw)
    with pytest.raises(ValidationFailed) as exc:
        register(gw, category=KeyCategory.RELEASED, id_number="420923199001011232")
    assert "校验码" in str(exc.value.message)


def test_visits_are_planned_on_working_days_and_move_the_plan(gw):
    monday = dt.date(2026, 3, 2)
    person = register(gw, today=monday)  # high risk: weekly = 5 working days
    assert person.next_visit_due == dt.date(2026, 3, 9)
    result = keypop.record_visit(
        actor=gw.worker,
        person=person,
        visited_on=timezone.localdate(),
        findings="本人在家，情绪稳定。",
        risk_after=KeyRisk.MEDIUM,
    )
    person.refresh_from_db()
    assert person.risk == KeyRisk.MEDIUM and person.last_visited_on == timezone.localdate()
    assert result.next_due == person.next_visit_due > timezone.localdate()


def test_missed_visits_raise_a_reminder_then_automatic_supervision_once(gw):
    person = register(gw, today=dt.date(2026, 3, 2))
    director = staff(gw.world.village_center, Role.DIRECTOR, "village_director")
    first = keypop.sweep_missed_visits(today=dt.date(2026, 3, 10))
    assert first == {"overdue": 1, "reminders": 1, "supervised": 0}
    assert Message.objects.filter(recipient=gw.worker, kind="grid_visit").count() == 1
    later = keypop.sweep_missed_visits(today=dt.date(2026, 3, 13))
    assert later == {"overdue": 1, "reminders": 0, "supervised": 1}
    assert (
        Message.objects.filter(
            recipient__in=[director, gw.world.township_director], kind="grid_visit"
        ).count()
        == 2
    )
    assert keypop.sweep_missed_visits(today=dt.date(2026, 3, 13))["supervised"] == 0
    assert VisitAlert.objects.filter(person=person, level=AlertLevel.SUPERVISION).count() == 1
    keypop.record_visit(
        actor=gw.worker,
        person=person,
        visited_on=timezone.localdate(),
        findings="补访",
        risk_after="high",
    )
    assert not VisitAlert.objects.filter(resolved_at=None).exists()


def test_pages_show_masks_and_reveal_on_request(gw, client):
    person = register(gw)
    client.force_login(gw.worker)
    listing = client.get("/grid/people/").content.decode()
    assert "张*国" in listing and "张建国" not in listing and ID not in listing
    page = client.get(f"/grid/people/{person.pk}/").content.decode()
    assert "张建国" not in page
    shown = client.post(
        f"/grid/people/{person.pk}/", {"fields": ["name"], "reason": "核对走访对象"}
    ).content.decode()
    assert "张建国" in shown
    client.force_login(gw.world.township_dispatcher)
    assert client.get(f"/grid/people/{person.pk}/").status_code == 404
