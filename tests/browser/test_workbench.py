"""The staff workbench in a real browser: every main page on a desktop and on a 375-px
phone, in Chinese and in English; login lockout, keyboard use and visible focus, and the
empty, error and loading states. Screenshots land in docs/screenshots/workbench-*.png."""

from __future__ import annotations

import pytest

from fengqiao.cases.choices import Status

from ._workbench_helpers import (
    CJK,
    fits_the_screen,
    log_in,
    make_world,
    pick_place,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    world.register(title="宅基地边界纠纷", phone="13700001111")
    world.register(title="拖欠农民工工资", phone="13700002222", status=Status.DISPATCHED)
    world.register(title="小区物业收费争议", phone="13700003333", status=Status.HANDLING)
    world.register(title="噪音扰民", phone="13700004444", status=Status.RESOLVED)
    world.register(title="道路积水安全隐患", phone="13700005555", status=Status.CLOSED)
    return world


def test_main_pages_desktop_and_phone(live_server, world, page_factory, screenshot):
    base = live_server.url
    case = world.register(status=Status.HANDLING, title="邻里排水纠纷", id_number="")
    for lang, suffix in (("zh-CN", ""), ("en-US", "-en")):
        for phone in (False, True):
            name = f"{suffix}{'-phone' if phone else ''}"
            page = page_factory(lang=lang, phone=phone)
            page.goto(f"{base}/login/")
            screenshot(page, f"workbench-login{name}")
            log_in(page, base, "director")
            page.wait_for_selector(".worklists")
            fits_the_screen(page)
            screenshot(page, f"workbench-home{name}")
            page.goto(f"{base}/cases/")
            fits_the_screen(page)
            screenshot(page, f"workbench-cases{name}")
            page.goto(f"{base}/cases/{case.code}/")
            fits_the_screen(page)
            screenshot(page, f"workbench-case{name}")
            page.goto(f"{base}/cases/new/")
            fits_the_screen(page)
            screenshot(page, f"workbench-register-form{name}")
            page.goto(f"{base}/cases/{case.code}/receipt/")
            fits_the_screen(page)
            screenshot(page, f"workbench-receipt{name}")
            page.goto(f"{base}/manage/units/")
            fits_the_screen(page)
            screenshot(page, f"workbench-manage{name}")
            if lang.startswith("en"):
                text = page.inner_text("header") + page.inner_text("h1")
                for data in ("云梦县综治中心", "简体中文"):  # user data and the language name
                    text = text.replace(data, "")
                assert not CJK.search(text)
    page = page_factory()
    log_in(page, base, "director")
    page.goto(f"{base}/manage/regions/?code={world.township.code}")
    screenshot(page, "workbench-manage-regions")


def test_role_switcher(live_server, world, page_factory, screenshot):
    from fengqiao.org.choices import Role
    from fengqiao.testing.factories import grant

    grant(world.dispatcher, world.justice, Role.HANDLER)
    page = page_factory()
    log_in(page, live_server.url, "dispatcher")
    assert page.locator("a.wl-to_dispatch").count() == 1
    options = page.locator("#role-switch option")
    assert options.count() == 2
    page.select_option("#role-switch", index=1)
    page.click("#role-switch ~ button[type=submit]")
    page.wait_for_selector("a.wl-to_sign")
    assert page.locator("a.wl-to_dispatch").count() == 0
    screenshot(page, "workbench-role-switched")


def test_lockout_after_repeated_failures(live_server, world, page_factory, screenshot):
    page = page_factory()
    for _ in range(5):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "receptionist")
        page.fill("#id_password", "not-the-password")
        page.click("main button[type=submit]")
        page.wait_for_selector("#login-error")
    assert "账号已锁定" in page.inner_text("#login-error")
    screenshot(page, "workbench-login-locked")


def test_keyboard_registration_and_duplicate_warning(live_server, world, page_factory, screenshot):
    """A receptionist registers with the keyboard only; the same phone raises a warning;
    a bad ID number is caught with its check digit."""
    page = page_factory()
    log_in(page, live_server.url, "receptionist")
    # The skip link is the first stop and it is visibly focused.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.goto(f"{live_server.url}/cases/new/")
    # The title has the focus when the form opens.
    assert page.evaluate("document.activeElement.id") == "id_title"
    page.focus("#id_title")
    page.keyboard.type("拖欠工资三个月")
    page.keyboard.press("Tab")
    page.keyboard.type("在工地做工三个月，老板拖欠工资，多次讨要未果。")
    pick_place(page, world)
    page.fill("#id_applicant_name", "赵六")
    page.fill("#id_applicant_phone", "13700002222")
    page.fill("#id_applicant_id_number", "420923198506120021")
    page.locator("#id_applicant_id_number").press("Tab")
    page.wait_for_selector("#register-hints .warn")
    assert "相关案件" in page.inner_text("#register-hints")
    page.wait_for_selector("#category-suggestions button.chip")
    screenshot(page, "workbench-register-duplicate")
    page.focus("#id_note")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    assert page.locator(".has-error #id_applicant_id_number").count() == 1
    errors = page.inner_text("main")
    assert "身份证号码" in errors
    screenshot(page, "workbench-register-errors")


def test_empty_error_and_loading_states(live_server, world, page_factory, screenshot):
    base = live_server.url
    page = page_factory()
    log_in(page, base, "dispatcher")
    page.goto(f"{base}/cases/?q=没有这样的案件")
    assert page.locator(".empty-state").count() == 1
    screenshot(page, "workbench-empty")
    response = page.goto(f"{base}/cases/42092320260101000019/")
    assert response.status == 404
    assert page.locator(".error-state").count() == 1
    screenshot(page, "workbench-not-found")
    # Loading: hold the list request and look at the indicator.
    page.goto(f"{base}/cases/")
    held = []
    page.route("**/cases/?*", lambda route: held.append(route))
    page.select_option("#id_status", "handling")
    page.wait_for_selector("#loading", state="visible")
    screenshot(page, "workbench-loading")
    for route in held:
        route.continue_()
    page.unroute("**/cases/?*")
    page.wait_for_selector("#loading", state="hidden")
    # Error: the server fails a partial request and the page says so.
    page.route("**/cases/?*", lambda route: route.fulfill(status=500, body="boom"))
    page.select_option("#id_status", "resolved")
    page.wait_for_selector("main > p.error[role=alert]")
    screenshot(page, "workbench-request-failed")


def test_dispatch_picker_search_and_co_handlers(live_server, world, page_factory, screenshot):
    """The dispatcher finds the lead unit by typing part of its name (Enter picks it), ticks a
    co-handler found the same way, and the case is dispatched to both."""
    base = live_server.url
    case = world.register(title="邻里漏水纠纷")
    page = page_factory()
    log_in(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.code}/")
    page.click("#action-dispatch > summary")
    lead = "#action-dispatch select[name='dispatch-lead_unit']"
    assert page.locator(f"{lead} optgroup").first.get_attribute("label") == "建议单位"
    search = page.locator("#action-dispatch input.unit-filter").first
    search.fill("公安")
    visible = page.eval_on_selector_all(
        f"{lead} option:not([hidden])", "els => els.map(e => e.textContent)"
    )
    assert visible and all("公安" in text for text in visible[1:]), visible  # [0]: 请选择
    search.press("Enter")
    assert page.eval_on_selector(lead, "el => el.value") == str(world.police.pk)
    page.select_option(lead, str(world.justice.pk))
    co_search = page.locator("#action-dispatch input.unit-filter").nth(1)
    co_search.fill("公安")
    assert page.locator(f"input[name='dispatch-co_units'][value='{world.police.pk}']").is_visible()
    assert not page.locator(
        f"input[name='dispatch-co_units'][value='{world.township_center.pk}']"
    ).is_visible()
    assert "主办单位才能办结" in page.inner_text("#action-dispatch")
    page.check(f"input[name='dispatch-co_units'][value='{world.police.pk}']")
    screenshot(page, "workbench-dispatch-picker")
    with page.expect_navigation(wait_until="load"):
        page.click("#action-dispatch button[type=submit]")
    units = page.inner_text("#sec-units ~ *")
    assert "云梦县司法局" in units and "云梦县公安局" in units


def test_parties_fit_a_phone(live_server, world, page_factory, screenshot):
    """On a 375-px phone the parties read as one card each, 查看完整信息 within reach."""
    base = live_server.url
    case = world.register(title="邻里排水纠纷", phone="13700006666")
    page = page_factory(phone=True)
    log_in(page, base, "director")
    page.goto(f"{base}/cases/{case.code}/")
    fits_the_screen(page)
    button = page.locator("#parties button", has_text="查看完整信息").first
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.locator("#parties").scroll_into_view_if_needed()
    screenshot(page, "workbench-case-parties-phone")
    button.click()
    page.wait_for_selector("#parties [id^=reveal-] *")
    assert "13700006666" in page.inner_text("#parties")
