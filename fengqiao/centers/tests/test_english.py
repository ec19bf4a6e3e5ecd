"""The centers' pages in English show no Chinese interface text (user data aside)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.centers import services
from fengqiao.centers.models import (
    CenterStaff,
    Finding,
    Inspection,
    MeetingTask,
    PlanTemplate,
    Summons,
)
from fengqiao.testing.factories import PASSWORD
from fengqiao.workbench.tests.test_i18n import chinese_left, user_data

pytestmark = pytest.mark.django_db


def _world(w):
    red = w.register(risk_level="red", title="工地欠薪群体讨薪")
    today = timezone.localdate()
    m = services.schedule_meeting(
        center=w.county_center,
        kind="monthly",
        title="月度研判会",
        starts_at=timezone.now(),
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        place="三楼",
        actor=w.director,
    )
    services.add_task(meeting=m, text="核实人数", owner=w.justice, workdays=2, actor=w.director)
    services.summon(
        center=w.county_center, units=[w.police], site="工地", reason="聚集", actor=w.director
    )
    services.add_staff(
        center=w.county_center,
        name="派驻民警",
        kind="seconded",
        home_unit=w.police,
        actor=w.director,
    )
    services.record_inspection(
        center=w.township_center,
        inspected_on=today,
        inspector="县检查组",
        result="rectify",
        note="",
        findings=[services.FindingIn("无调解室", today)],
        actor=w.director,
    )
    services.open_report_round(
        center=w.county_center, period=today, due_date=today, actor=w.director
    )
    plan = services.open_plan(
        case=red,
        template=PlanTemplate.objects.first(),
        roster={"总指挥": "王志强"},
        actor=w.director,
    )
    return m, plan


def test_english_pages(client, cw):
    w = cw.world
    m, plan = _world(w)
    data = user_data()
    data.update(MeetingTask.objects.values_list("text", flat=True))
    data.update(Summons.objects.values_list("site", flat=True))
    data.update(Summons.objects.values_list("reason", flat=True))
    data.update(CenterStaff.objects.values_list("name", flat=True))
    data.update(Inspection.objects.values_list("inspector", flat=True))
    data.update(Finding.objects.values_list("text", flat=True))
    data.update({m.title, m.place, "王志强", "中文", "简体中文"})
    assert client.login(username="director", password=PASSWORD)
    urls = [
        reverse("centers:home"),
        reverse("centers:compliance"),
        reverse("centers:standard") + f"?center={w.township_center.pk}",
        reverse("centers:staffing"),
        reverse("centers:duty"),
        reverse("centers:board", args=[w.county_center.pk]),
        reverse("centers:meetings"),
        reverse("centers:meeting", args=[m.pk]),
        reverse("centers:reports"),
        reverse("centers:plans"),
        reverse("centers:plan", args=[plan.pk]),
        reverse("centers:assessment"),
    ]
    problems = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        left = chinese_left(response.content.decode(), data)
        if left:
            problems[url] = left
    assert not problems, problems
