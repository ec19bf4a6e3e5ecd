"""The citizen portal in a real browser: a 375-px phone in Chinese, a desktop in English.

Screenshots land in docs/screenshots/portal-*.png.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case
from fengqiao.portal import services as portal_services
from fengqiao.testing.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(transactional_db):
    from fengqiao.testing.factories import build_world

    cache.clear()
    load_reference_data()  # an earlier transactional test may have flushed it
    return build_world()


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def _township_without_center(world):
    """A township of the county with no center of its own: its appeals go to the county."""
    from fengqiao.regions.models import Region

    return (
        Region.objects.filter(parent=world.county)
        .exclude(code__in=[world.township.code, world.other_township.code])
        .order_by("code")
        .first()
    )


def _pick_place(page, world, township=None, village=None) -> None:
    township = township or world.township
    village = village or township.children.order_by("code").first()
    page.select_option("#id_county", world.county.code)
    attached = "attached"  # options are never "visible" to Playwright
    page.wait_for_selector(f"#id_township option[value='{township.code}']", state=attached)
    page.select_option("#id_township", township.code)
    page.wait_for_selector(f"#id_village option[value='{village.code}']", state=attached)
    page.select_option("#id_village", village.code)


def _fill_appeal(page, world, phone: str = PHONE, township=None) -> None:
    page.select_option("#id_kind", "dispute")
    page.fill("#id_description", "楼上邻居装修噪音很大，晚上十点以后还在施工，协商多次无果。")
    _pick_place(page, world, township)
    page.fill("#id_address", "解放路12号")
    page.fill("#id_name", "王女士")
    page.fill("#id_phone", phone)


def test_submit_and_track_on_a_phone_in_chinese(live_server, world, page_factory, screenshot):
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{live_server.url}/p/")
    assert page.locator("h1").inner_text() == "我要反映诉求"
    _fits_the_screen(page)
    screenshot(page, "portal-home-phone")

    _fill_appeal(page, world, township=_township_without_center(world))
    screenshot(page, "portal-form-filled-phone")
    page.click("button[type=submit]:has-text('提交诉求')")
    page.wait_for_url("**/p/submitted/**")
    code = page.locator("[data-testid=case-code]").inner_text().strip()
    assert re.fullmatch(r"\d{19}[\dX]", code)
    assert page.locator(".qr-image svg").count() == 1
    # The link under the QR code is on the port this server runs on, not a fixed one.
    link = page.locator("[data-testid=tracking-url]").inner_text().strip()
    assert link == f"{live_server.url}/p/track/{code}/"
    assert "接下来会怎样" in page.content()
    _fits_the_screen(page)
    screenshot(page, "portal-receipt-phone")

    # Staff work on it, with internal notes the citizen must never see.
    case = Case.objects.get(code=code)
    assert case.center == world.county_center
    case = case_services.transition(
        case=case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice,
        note="内部：请司法所尽快联系",
    )  # fmt: skip
    case_services.record_event(
        case=case, action=Action.COMMENT, actor=world.director, note="内部备注：当事人情绪激动"
    )
    case_services.transition(
        case=case, action=Action.SIGN, actor=world.justice_handler, note="已签收"
    )

    other = page_factory("zh-CN", phone=True)  # another phone: not verified yet
    other.goto(f"{live_server.url}/p/track/")
    screenshot(other, "portal-track-form-phone")
    other.fill("#id_code", code)
    other.fill("#id_phone_last4", "0000")
    other.click("main button[type=submit]")
    alert = other.locator("[role=alert]")
    assert "未找到该案件" in alert.inner_text()
    screenshot(other, "portal-track-error-phone")
    other.fill("#id_phone_last4", PHONE[-4:])
    other.click("main button[type=submit]")
    other.wait_for_url(f"**/p/track/{code}/")
    body = other.locator("body").inner_text()
    assert "办理中" in body
    assert "承办单位已签收，正在办理" in body
    for secret in ("内部", "司法所", "dispatcher", "justice_handler", "director", "王女士"):
        assert secret not in body
    _fits_the_screen(other)
    screenshot(other, "portal-track-phone")


def test_invalid_phone_and_missing_place(live_server, world, page_factory, screenshot):
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{live_server.url}/p/")
    page.select_option("#id_kind", "hazard")
    page.fill("#id_description", "村口的桥栏杆断了，小孩上学经过很危险。")
    page.fill("#id_phone", "12345")
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]:has-text('提交诉求')")
    summary = page.locator(".error-summary")
    assert "请填写正确的手机号码" in summary.inner_text()
    assert "请选择事情发生的乡镇（街道）" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_attribute("#id_phone", "aria-invalid") == "true"
    assert Case.objects.count() == 0
    _fits_the_screen(page)
    screenshot(page, "portal-error-phone")


def test_throttled_phone_sees_why(live_server, world, page_factory, screenshot):
    for _ in range(portal_services.limit("phone_per_day")):
        portal_services.note_submission(phone=PHONE, ip="10.0.0.9")
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{live_server.url}/p/")
    _fill_appeal(page, world)
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]:has-text('提交诉求')")
    assert "同一手机号每天最多提交5件诉求" in page.locator(".error-summary").inner_text()
    assert Case.objects.count() == 0
    screenshot(page, "portal-throttled-phone")


def test_loading_state_of_the_region_picker(live_server, world, page_factory, screenshot):
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{live_server.url}/p/")
    held = []
    page.route("**/p/regions/**", lambda route: held.append(route))
    page.select_option("#id_county", world.county.code)
    page.wait_for_selector("#region-loading", state="visible")
    page.locator("#region-picker").scroll_into_view_if_needed()
    screenshot(page, "portal-loading-phone")
    for route in held:
        route.continue_()
    page.unroute("**/p/regions/**")
    page.wait_for_selector(f"#id_township option[value='{world.township.code}']", state="attached")
    page.wait_for_selector("#region-loading", state="hidden")  # htmx clears it after the swap

    # Error state: the next list cannot be loaded (network down).
    page.route("**/p/regions/**", lambda route: route.abort())
    page.select_option("#id_township", world.township.code)
    page.wait_for_selector("#region-load-error", state="visible")
    assert "加载失败" in page.locator("#region-load-error").inner_text()
    page.locator("#region-picker").scroll_into_view_if_needed()
    screenshot(page, "portal-picker-error-phone")


def test_english_once_and_keyboard(live_server, world, page_factory, screenshot):
    closed = world.register(status=Status.CLOSED, phone=PHONE)
    page = page_factory("zh-CN")
    page.goto(f"{live_server.url}/p/")
    screenshot(page, "portal-home-desktop")
    # Keyboard: the first Tab reaches the skip link, with a visible focus ring.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Submit an appeal"
    text = page.locator("body").inner_text()
    # Only data (place names in the picker) and the switch back to Chinese may be Chinese.
    for select in page.locator("select").all():
        text = text.replace(select.inner_text(), "")
    assert CJK.findall(text.replace("中文", "")) == []
    screenshot(page, "portal-home-desktop-en")

    page.goto(f"{live_server.url}/p/track/{closed.code}/")
    page.fill("#id_phone_last4", PHONE[-4:])
    page.keyboard.press("Enter")
    page.wait_for_selector("text=What has happened")
    body = page.locator("body").inner_text()
    assert "Closed, waiting for your rating" in body
    result = page.locator(".result").inner_text()  # what staff wrote: data, not interface
    assert CJK.findall(body.replace(result, "").replace("中文", "")) == []
    screenshot(page, "portal-track-closed-desktop-en")
    page.check("input[name=satisfaction][value=satisfied]")
    page.fill("#id_comment", "Quick and fair.")
    page.click("button:has-text('Send rating')")
    page.wait_for_selector("text=Thank you for your rating!")
    screenshot(page, "portal-rated-desktop-en")


def test_poster_for_a_center(live_server, world, page_factory, screenshot):
    page = page_factory("zh-CN")
    page.goto(f"{live_server.url}/p/poster/{world.township_center.pk}/")
    assert world.township_center.name in page.locator(".poster-center").inner_text()
    assert page.locator(".poster-qr svg").count() == 1
    poster_url = page.locator(".poster-url").inner_text().strip()
    assert poster_url == f"{live_server.url}/p/?center={world.township_center.pk}"
    screenshot(page, "portal-poster-desktop")
    page.emulate_media(media="print")
    screenshot(page, "portal-poster-print")

    # The poster's link opens the form with that center chosen.
    phone = page_factory("zh-CN", phone=True)
    phone.goto(f"{live_server.url}/p/?center={world.township_center.pk}")
    assert world.township_center.name in phone.locator(".center-chip").inner_text()
    phone.select_option("#id_kind", "legal")
    phone.fill("#id_description", "想咨询一下土地承包合同到期后怎么续签。")
    phone.fill("#id_phone", "13700001111")
    phone.dblclick("button[type=submit]:has-text('提交诉求')")  # an impatient double click
    phone.wait_for_url("**/p/submitted/**")
    case = Case.objects.get()
    assert case.center == world.township_center
    assert case.channel == "qr"
    screenshot(phone, "portal-receipt-qr-phone")
