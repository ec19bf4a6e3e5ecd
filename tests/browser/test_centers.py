"""The centers in a real browser: the compliance dashboard with its drill-down, the duty
board (desktop and phone, and the public board), and a meeting from its agenda to tasks.
Screenshots land in docs/screenshots/centers-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.centers import services
from fengqiao.centers.models import ChecklistItem, MeetingTask
from fengqiao.centers.testing import build_centers_world

from ._workbench_helpers import CJK, fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cw(transactional_db):
    cw = build_centers_world(make_world())
    w = cw.world
    for code in ("have_sign", "have_place", "have_staff", "norm_name"):
        item = ChecklistItem.objects.get(code=code)
        for center in (w.county_center, w.township_center):
            services.set_check(
                center=center, item=item, met=True, evidence="照片和台账", actor=w.director
            )
    services.add_staff(
        center=w.county_center,
        name="派驻民警",
        kind="seconded",
        home_unit=w.police,
        actor=w.director,
    )
    return cw


def test_the_compliance_dashboard_drills_down_in_both_languages(
    live_server, cw, page_factory, screenshot
):
    w = cw.world
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/centers/compliance/")
    assert "县级" in page.inner_text("#by-level") and "乡镇级" in page.inner_text("#by-level")
    row = page.locator("#centers-table tr", has_text=w.township_center.name)
    assert row.locator(".ok").count() == 4
    screenshot(page, "centers-compliance")
    page.click(f"#children a:has-text('{w.township.name}')")
    page.wait_for_url(f"**region={w.township.code}")
    assert w.other_township_center.name not in page.inner_text("#centers-table")
    page.click(f"#centers-table a:has-text('{w.township_center.name}')")
    page.wait_for_selector("#checklist")
    assert "40.0%" in page.inner_text("#standard-share") or "%" in page.inner_text(
        "#standard-share"
    )
    en = page_factory("en")
    log_in(en, live_server.url, "director")
    en.goto(f"{live_server.url}/centers/compliance/")
    assert "Centers by level" in en.inner_text("main")
    assert not CJK.search(en.inner_text("#by-level thead"))
    screenshot(en, "centers-compliance-en")
    phone = page_factory("zh-CN", phone=True)
    log_in(phone, live_server.url, "director")
    phone.goto(f"{live_server.url}/centers/compliance/")
    fits_the_screen(phone)
    screenshot(phone, "centers-compliance-phone")


def test_the_duty_board_a_swap_and_the_public_board(live_server, cw, page_factory, screenshot):
    w = cw.world
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    services.assign_shift(
        center=w.county_center,
        day=tomorrow,
        post="duty_director",
        user=w.dispatcher,
        actor=w.director,
    )
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/centers/duty/")
    today_text = page.inner_text("#today")
    assert "总值班长" in today_text and "leader" in today_text and "云梦县司法局" in today_text
    page.select_option("#sw-shift", index=1)
    page.select_option("#sw-to", label="supervisor")
    page.fill("#sw-reason", "参加培训")
    with page.expect_navigation():
        page.click("#swap-form button[type=submit]")
    assert "等待审批" in page.inner_text(".messages")
    director = page_factory("zh-CN")
    log_in(director, live_server.url, "director")
    director.goto(f"{live_server.url}/centers/duty/")
    with director.expect_navigation():
        director.click("#swaps button[value=approve]")
    assert "已批准" in director.inner_text("#swaps")
    assert "supervisor" in director.inner_text("#roster")
    screenshot(director, "centers-duty")
    phone = page_factory("zh-CN", phone=True)
    phone.goto(f"{live_server.url}/centers/board/{w.county_center.pk}/")
    assert "值班主任" in phone.inner_text("main") and "dispatcher" in phone.inner_text("main")
    fits_the_screen(phone)
    screenshot(phone, "centers-board-phone")
    en = page_factory("en", phone=True)
    en.goto(f"{live_server.url}/centers/board/{w.county_center.pk}/")
    assert "Chief on duty" in en.inner_text("main")
    screenshot(en, "centers-board-phone-en")


def test_a_meeting_from_agenda_to_tasks(live_server, cw, page_factory, screenshot):
    w = cw.world
    red = w.register(risk_level="red", title="工地务工人员聚集讨要工资", phone="13800000011")
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/centers/meetings/")
    page.fill("#m-title", "本月矛盾纠纷研判会")
    start = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT15:00")
    page.fill("#m-start", start)
    page.fill("#m-place", "三楼会商室")
    page.fill("#m-from", (timezone.localdate() - dt.timedelta(days=30)).isoformat())
    page.fill("#m-to", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]")
    agenda = page.inner_text("#agenda")
    assert red.code in agenda and "红色风险" in agenda
    screenshot(page, "centers-meeting-agenda")
    page.check("#attendance-form input[type=checkbox] >> nth=0")
    page.fill("#attendance-form input[name^=attendee] >> nth=0", "李科长")
    with page.expect_navigation():
        page.click("#attendance-form button[type=submit]")
    page.fill("#minutes", "研判欠薪案件一件，明确人社局牵头。")
    with page.expect_navigation():
        page.click("#minutes-form button[type=submit]")
    assert "已召开" in page.inner_text("#meeting-status")
    page.fill("#t-text", "三个工作日内核实欠薪人数和金额")
    page.select_option("#t-owner", label="云梦县司法局")
    page.select_option("#t-item", label=red.code)
    page.fill("#t-days", "3")
    with page.expect_navigation():
        page.click("#task-form button[type=submit]")
    tasks = page.inner_text("#tasks")
    assert "三个工作日内核实欠薪人数和金额" in tasks and "云梦县司法局" in tasks
    task = MeetingTask.objects.get()
    assert task.due_date > timezone.localdate() and task.agenda_item.case == red
    screenshot(page, "centers-meeting-tasks")
    handler = page_factory("zh-CN", phone=True)
    log_in(handler, live_server.url, "justice_handler")
    handler.goto(f"{live_server.url}/centers/meetings/{task.meeting_id}/")
    handler.fill(f"#res-{task.pk}", "已核实27人、欠薪38万元")
    with handler.expect_navigation():
        handler.click("#tasks button[type=submit]")
    assert "已完成" in handler.inner_text("#tasks")
    fits_the_screen(handler)
    screenshot(handler, "centers-meeting-phone")
    en = page_factory("en")
    log_in(en, live_server.url, "director")
    en.goto(f"{live_server.url}/centers/meetings/{task.meeting_id}/")
    assert "Red risk" in en.inner_text("#agenda")
    screenshot(en, "centers-meeting-en")
