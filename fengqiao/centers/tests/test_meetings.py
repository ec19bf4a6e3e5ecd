"""Meetings from agenda to tasks, 吹哨报到 and the sweep that supervises overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fengqiao.cases.models import CaseLink
from fengqiao.centers import services
from fengqiao.centers.choices import MeetingKind, MeetingStatus, TaskStatus
from fengqiao.centers.models import MeetingTask
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.notifications.models import Message
from fengqiao.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _meeting(w, **kw):
    today = timezone.localdate()
    return services.schedule_meeting(
        center=w.county_center,
        kind=MeetingKind.MONTHLY,
        title="十二月矛盾纠纷研判会",
        starts_at=timezone.now() + dt.timedelta(days=1),
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        actor=w.director,
        **kw,
    )


def test_the_agenda_is_drawn_from_red_overdue_and_repeated_cases(cw):
    w = cw.world
    red = w.register(risk_level="red", title="工地欠薪群体讨薪", phone="13800000001")
    overdue = w.register(status="handling", title="排水沟纠纷", phone="13800000002")
    type(overdue).objects.filter(pk=overdue.pk).update(is_overdue=True)
    repeated = w.register(title="同一户反复反映噪音", phone="13800000003")
    CaseLink.objects.get_or_create(case=repeated, other=red, kind="same_party")
    plain = w.register(title="普通咨询", phone="13800000004")
    m = _meeting(w)
    agenda = {a.case_id: a.reasons for a in m.agenda.all()}
    assert agenda[red.pk][0] == "red"
    assert agenda[overdue.pk] == ["overdue"]
    assert agenda[repeated.pk] == ["repeated"]
    assert plain.pk not in agenda
    # invited: the resident and rotating departments
    assert {p.unit for p in m.participants.all()} == {w.police, w.justice}
    assert services.refresh_agenda(meeting=m, actor=w.director) == 0


def test_a_decision_becomes_a_task_on_working_days_and_is_supervised_when_overdue(cw):
    w = cw.world
    m = _meeting(w)
    services.record_attendance(
        meeting=m, attended={m.participants.first().pk: "张科长"}, actor=w.director
    )
    assert m.participants.filter(attended=True).count() == 1
    services.hold_meeting(meeting=m, minutes="研判三件，交办两项。", actor=w.director)
    m.refresh_from_db()
    assert m.status == MeetingStatus.HELD
    with pytest.raises(ValidationFailed):
        services.add_task(meeting=m, text="核实", owner=w.justice, actor=w.director)
    task = services.add_task(
        meeting=m, text="三日内核实欠薪人数", owner=w.justice, workdays=3, actor=w.director
    )
    assert task.due_date > timezone.localdate()
    assert Message.objects.filter(recipient=w.justice_handler, kind="meeting_task").exists()
    MeetingTask.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - dt.timedelta(1))
    assert services.sweep().supervised == 1
    assert services.sweep().supervised == 0  # once
    assert Message.objects.filter(kind="meeting_task_overdue").count() == 1
    with pytest.raises(PermissionDenied):
        services.complete_task(task=task, result="已核实", actor=w.police_handler)
    services.complete_task(task=task, result="已核实27人", actor=w.justice_handler)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    with pytest.raises(Conflict):
        services.complete_task(task=task, result="again", actor=w.justice_handler)


def test_summons_records_who_came_and_when(cw):
    w = cw.world
    s = services.summon(
        center=w.county_center,
        units=[w.police, w.justice],
        site="城关镇工地",
        reason="讨薪人员聚集",
        actor=w.director,
    )
    call = s.calls.get(unit=w.police)
    assert Message.objects.filter(recipient=w.police_handler, kind="summons").exists()
    services.check_in(call=call, name="李明", actor=w.police_handler)
    call.refresh_from_db()
    first = call.arrived_at
    assert call.arrived_by == "李明" and first is not None
    services.check_in(call=call, name="别人", actor=w.police_handler)
    call.refresh_from_db()
    assert call.arrived_at == first and call.arrived_by == "李明"
    with pytest.raises(PermissionDenied):
        services.check_in(call=s.calls.get(unit=w.justice), name="x", actor=w.police_handler)


def test_the_meeting_pages_schedule_and_show_the_agenda(cw):
    w = cw.world
    w.register(risk_level="red", title="工地欠薪群体讨薪")
    c = Client()
    c.login(username="director", password=PASSWORD)
    today = timezone.localdate()
    r = c.post(
        "/centers/meetings/",
        {
            "action": "schedule",
            "kind": "monthly",
            "title": "月度研判会",
            "starts_at": f"{today.isoformat()}T15:00",
            "place": "三楼会议室",
            "period_start": (today - dt.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
        follow=True,
    )
    body = r.content.decode()
    assert "工地欠薪群体讨薪" in body and "红色风险" in body
    other = Client()
    other.login(username="other_dispatcher", password=PASSWORD)
    mid = r.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    assert other.get(f"/centers/meetings/{mid}/").status_code == 404
