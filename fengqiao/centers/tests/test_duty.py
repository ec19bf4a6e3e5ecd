"""The duty roster, swaps with approval, the public board and red-case alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fengqiao.centers import services
from fengqiao.centers.choices import DutyPost, SwapStatus
from fengqiao.centers.models import DutyAlert, DutyShift
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.notifications.models import Message
from fengqiao.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_only_the_centers_staff_can_be_put_on_duty(cw):
    w = cw.world
    outsider = make_user("outsider")
    with pytest.raises(ValidationFailed):
        services.assign_shift(
            center=w.county_center,
            day=timezone.localdate(),
            post=DutyPost.FIRST_DIRECTOR,
            user=outsider,
            actor=w.director,
        )
    with pytest.raises(PermissionDenied):
        services.assign_shift(
            center=w.county_center,
            day=timezone.localdate(),
            post=DutyPost.FIRST_DIRECTOR,
            user=w.director,
            actor=w.receptionist,
        )


def test_a_swap_is_approved_by_the_director_and_moves_the_shift(cw):
    w = cw.world
    day = timezone.localdate() + dt.timedelta(days=1)
    shift = services.assign_shift(
        center=w.county_center,
        day=day,
        post=DutyPost.DUTY_DIRECTOR,
        user=w.dispatcher,
        actor=w.director,
    )
    swap = services.request_swap(
        shift=shift, to_user=w.supervisor, reason="家中有事", actor=w.dispatcher
    )
    assert Message.objects.filter(recipient=w.director, kind="duty_swap").exists()
    with pytest.raises(Conflict):
        services.request_swap(shift=shift, to_user=w.mediator, reason="再换", actor=w.dispatcher)
    with pytest.raises(PermissionDenied):
        services.decide_swap(swap=swap, approve=True, actor=w.supervisor)
    services.decide_swap(swap=swap, approve=True, actor=w.director)
    shift.refresh_from_db()
    swap.refresh_from_db()
    assert shift.user == w.supervisor and swap.status == SwapStatus.APPROVED
    with pytest.raises(Conflict):
        services.decide_swap(swap=swap, approve=False, actor=w.director)


def test_a_red_case_alerts_the_leaders_on_duty_once(cw, django_capture_on_commit_callbacks):
    w = cw.world
    with django_capture_on_commit_callbacks(execute=True):
        case = w.register(risk_level="red", title="多名工人聚集讨要欠薪", people_count=30)
    assert case.risk_level == "red"
    alerts = DutyAlert.objects.filter(case=case)
    assert {a.user for a in alerts} == {w.leader, w.dispatcher}
    assert Message.objects.filter(recipient=w.leader, kind="duty_red_case").count() == 1
    services.alert_on_duty(case)
    assert DutyAlert.objects.filter(case=case).count() == 2


def test_a_blue_case_alerts_nobody(cw, django_capture_on_commit_callbacks):
    w = cw.world
    with django_capture_on_commit_callbacks(execute=True):
        w.register()
    assert not DutyAlert.objects.exists()


def test_the_public_board_shows_who_is_on_duty_and_in_the_center_without_login(cw):
    w = cw.world
    body = Client().get(f"/centers/board/{w.county_center.pk}/").content.decode()
    assert "总值班长" in body and w.leader.display_name in body
    assert "云梦县司法局" in body  # rotating today
    assert "云梦县公安局" in body  # resident
    assert Client().get("/centers/board/999999/").status_code == 404


def test_the_duty_page_assigns_and_lists_the_week(cw):
    w = cw.world
    c = Client()
    c.login(username="director", password=PASSWORD)
    day = timezone.localdate()
    r = c.post(
        f"/centers/duty/?center={w.county_center.pk}",
        {
            "action": "assign",
            "day": day.isoformat(),
            "post": "first_director",
            "user": w.director.pk,
        },
        follow=True,
    )
    assert "已排班" in r.content.decode()
    assert DutyShift.objects.filter(day=day, post="first_director", user=w.director).exists()
    r = c.post(
        "/centers/duty/", {"action": "assign", "day": "bad", "post": "x", "user": ""}, follow=True
    )
    assert "日期格式不正确" in r.content.decode()
