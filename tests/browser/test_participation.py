"""Citizen participation in a real browser, phone first: a resident signs in with an SMS
code, links to their grid, snaps a hazard with a photo; the grid worker accepts it into a
case and the resident sees the points. A 议事厅 topic from opening to the published outcome.
Screenshots land in docs/screenshots/participation-*.png."""

from __future__ import annotations

import pytest

from fengqiao.cases.models import Case
from fengqiao.demo.participation import solid_png
from fengqiao.grid.testing import build_grid_world
from fengqiao.org.choices import Role
from fengqiao.participation.models import Clue, Topic
from fengqiao.participation.services import identity
from fengqiao.participation.services.points import ensure_default_rules
from fengqiao.participation.testing import citizen, last_code
from fengqiao.testing.factories import staff

from ._workbench_helpers import fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13700001111"


@pytest.fixture
def gw(transactional_db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(identity, "RESEND_SECONDS", 0)  # the same phone signs in twice
    world = build_grid_world(make_world())
    ensure_default_rules()
    return world


def _png(tmp_path):
    path = tmp_path / "hazard.png"
    path.write_bytes(solid_png(120, 80, (200, 120, 60)))
    return path


def _sign_in(page, base: str, phone: str) -> None:
    page.goto(f"{base}/p/participation/login/")
    page.fill("#phone", phone)
    page.click("#login-form button[name=send]")
    page.wait_for_selector("#code")
    page.fill("#code", last_code(phone))
    page.click("#login-form button[name=verify]")


def test_a_hazard_report_earns_points_once_the_grid_worker_accepts_it(
    live_server, gw, page_factory, screenshot, tmp_path
):
    base, world = live_server.url, gw.world
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{base}/p/participation/")
    fits_the_screen(page)
    screenshot(page, "participation-welcome-phone")
    _sign_in(page, base, PHONE)
    page.wait_for_url("**/p/participation/place/")
    page.select_option("#id_county", world.county.code)
    page.wait_for_selector(f"#id_township option[value='{world.township.code}']", state="attached")
    page.select_option("#id_township", world.township.code)
    page.wait_for_selector(f"#id_village option[value='{world.village.code}']", state="attached")
    page.select_option("#id_village", world.village.code)
    page.click("#refresh-grids")
    page.wait_for_selector(f"#grid option[value='{gw.grid.code}']", state="attached")
    page.select_option("#grid", gw.grid.code)
    page.fill("#nickname", "王小明")
    fits_the_screen(page)
    screenshot(page, "participation-place-phone")
    page.click("button[name=save]")
    page.wait_for_url("**/p/participation/")
    page.click("text=随手拍 · 报线索")
    page.check("input[name=kind][value=hazard]")
    page.fill("#text", "村口石桥栏杆松动，学生上下学经过很危险")
    page.fill("#address", "村口石桥")
    page.set_input_files("#photo", str(_png(tmp_path)))
    fits_the_screen(page)
    screenshot(page, "participation-report-phone")
    page.click("#clue-form button[type=submit]")
    page.wait_for_url("**/p/participation/points/")
    assert "待审核" in page.inner_text("#my-clues")
    assert page.inner_text("#balance") == "0"

    staff_page = page_factory("zh-CN")
    log_in(staff_page, base, "grid_worker")
    staff_page.goto(f"{base}/participation/")
    staff_page.click("text=村口石桥栏杆松动")
    staff_page.fill("#note", "现场核实属实")
    screenshot(staff_page, "participation-review-desktop")
    staff_page.click("button[value=case]")
    # The run's first registration loads the text model and jieba's dictionary (seconds on a
    # loaded machine), as the end-to-end test allows for too.
    staff_page.wait_for_selector("#clue-case", timeout=60000)
    case = Case.objects.get()
    assert staff_page.inner_text("#clue-case") == case.code
    assert case.attachments.count() == 1
    assert Clue.objects.get().points == 8

    page.reload()
    assert page.inner_text("#balance") == "8"
    assert "+8" in page.inner_text("#ledger")
    fits_the_screen(page)
    screenshot(page, "participation-points-phone")

    en = page_factory("en", phone=True)
    _sign_in(en, base, PHONE)
    en.goto(f"{base}/p/participation/points/")
    assert "Safety points" in en.inner_text("main")
    fits_the_screen(en)
    screenshot(en, "participation-points-phone-en")
    en_staff = page_factory("en")
    log_in(en_staff, base, "grid_worker")
    en_staff.goto(f"{base}/participation/?status=case")
    assert "Clue review" in en_staff.inner_text("main")
    screenshot(en_staff, "participation-clues-desktop-en")


def test_a_deliberation_from_topic_to_published_outcome(live_server, gw, page_factory, screenshot):
    base, world = live_server.url, gw.world
    staff(world.village_center, Role.DIRECTOR, "village_director")
    citizen("13800000002", world.village, gw.grid, "李四")
    director = page_factory("zh-CN")
    log_in(director, base, "village_director")
    director.goto(f"{base}/participation/topics/")
    director.fill("#t-title", "村主干道安装路灯")
    director.fill("#t-body", "拟安装太阳能路灯30盏，请大家发表意见并表决。")
    director.click("#topic-form button[type=submit]")
    director.wait_for_selector("#topic-status")
    topic = Topic.objects.get()

    phone = page_factory("zh-CN", phone=True)
    _sign_in(phone, base, "13800000002")
    phone.goto(f"{base}/p/participation/topics/{topic.pk}/")
    phone.fill("#text", "支持，晚上出门太黑了")
    phone.click("#comment-form button[type=submit]")
    phone.wait_for_selector("text=支持，晚上出门太黑了")
    phone.fill("#text", "低息贷款加微信")
    phone.click("#comment-form button[type=submit]")
    phone.wait_for_selector("text=低息贷款加微信")

    director.reload()
    spam = director.locator("li", has_text="低息贷款加微信")
    spam.locator("input[name=reason]").fill("广告信息")
    spam.locator("button[value=hide]").click()
    director.wait_for_selector("text=广告信息")
    director.click("button[value=advance]")
    director.wait_for_selector("#topic-status:has-text('表决中')")

    phone.reload()
    assert "低息贷款加微信" not in phone.inner_text("#comments")
    phone.click("#tally button[value=yes]")
    phone.wait_for_selector("text=您已表决")
    fits_the_screen(phone)
    screenshot(phone, "participation-topic-voting-phone")

    director.reload()
    assert director.inner_text("#t-yes") == "1"
    director.fill("#outcome", "表决通过，下月安装。")
    director.click("#publish-form button[value=publish]")
    director.wait_for_selector("#topic-status:has-text('结果已公布')")
    log = director.inner_text("#mod-log")
    assert "隐藏意见：广告信息" in log and "公布结果" in log
    screenshot(director, "participation-topic-desktop")

    phone.reload()
    assert "表决通过，下月安装。" in phone.inner_text("#outcome")
    fits_the_screen(phone)
    screenshot(phone, "participation-topic-outcome-phone")
    en = page_factory("en", phone=True)
    _sign_in(en, base, "13800000002")
    en.goto(f"{base}/p/participation/topics/{topic.pk}/")
    assert "Outcome published" in en.inner_text("main")
    fits_the_screen(en)
    screenshot(en, "participation-topic-outcome-phone-en")
