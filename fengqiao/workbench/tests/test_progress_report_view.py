"""进展报告 from the case page: the lead handler of a red case in handling sees the form,
reports, and the report clock starts again; others see nothing; out of scope is missing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fengqiao.cases.choices import Action, Status
from fengqiao.deadlines.choices import TimerKind
from fengqiao.deadlines.models import CaseTimer

pytestmark = pytest.mark.django_db


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def red_case(world, commits):
    with commits():
        return world.register(status=Status.HANDLING, risk_level="red")


def url(case, **query):
    base = reverse("workbench:progress_report", args=[case.code])
    return base + ("?slot=1" if query.get("slot") else "")


def test_lead_handler_reports_progress_from_the_case_page(client, world, commits):
    case = red_case(world, commits)
    client.force_login(world.justice_handler)
    page = client.get(reverse("workbench:case", args=[case.code])).content.decode()
    assert 'id="progress-report"' in page and url(case) in page
    assert "进展报告时限" in page  # the clock in the table of limits
    slot = client.get(url(case, slot=True)).content.decode()
    assert "提交进展报告" in slot and "每 5 个工作日报告一次办理进展" in slot
    with commits():
        response = client.post(url(case), {"progress-text": "已约谈双方，情绪稳定"})
    assert response.status_code == 302 and response.url.endswith("#clocks")
    event = case.events.get(action=Action.PROGRESS_REPORT)
    assert event.note == "已约谈双方，情绪稳定" and event.actor == world.justice_handler
    assert CaseTimer.objects.get(case=case, kind=TimerKind.REPORT).period == 2
    page = client.get(reverse("workbench:case", args=[case.code])).content.decode()
    assert "已报告办理进展。" in page


def test_bad_input_keeps_the_text_and_says_why(client, world, commits):
    case = red_case(world, commits)
    client.force_login(world.justice_handler)
    response = client.post(url(case), {"progress-text": "进展\x00"})
    assert response.status_code == 400
    response = client.post(url(case), {"progress-text": "长" * 2001})
    assert response.status_code == 400 and "长" * 2001 in response.content.decode()
    assert not case.events.filter(action=Action.PROGRESS_REPORT).exists()


def test_others_see_no_form_and_may_not_report(client, world, commits):
    case = red_case(world, commits)
    client.force_login(world.dispatcher)
    assert client.get(url(case, slot=True)).content.decode().strip() == ""
    response = client.post(url(case), {"progress-text": "越权报告"})
    assert response.status_code == 403
    assert not case.events.filter(action=Action.PROGRESS_REPORT).exists()
    client.force_login(world.users["other_dispatcher"])
    assert client.get(url(case)).status_code == 404


def test_english_page(client, world, commits):
    case = red_case(world, commits)
    client.force_login(world.justice_handler)
    html = client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Report progress" in html and "报告办理进展" not in html
