"""The whole loop through the pages: a receptionist registers a case, a dispatcher routes it,
a handler signs and resolves it, a director closes it, and the citizen tracks and rates it —
in Chinese, and once in English. Screenshots land in docs/screenshots/workbench-*.png."""

from __future__ import annotations

import pytest

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, CaseEvent

from ._workbench_helpers import CJK, act, fits_the_screen, log_in, make_world
from ._workbench_helpers import pick_place as _pick_place

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"


def _valid_id() -> str:
    from fengqiao.core.validators import mod11_2_check

    body = "42092319850612002"
    return body + mod11_2_check(body)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _run_loop(live_server, world, page_factory, screenshot, *, lang: str, tag: str) -> str:
    base = live_server.url
    zh = lang.startswith("zh")

    # 1. The receptionist registers a walk-in appeal and prints the receipt.
    page = page_factory(lang=lang)
    log_in(page, base, "receptionist")
    page.click("nav.mainnav >> text=" + ("登记受理" if zh else "Register"))
    page.wait_for_selector("#register-form")
    page.fill("#id_title", "邻居装修噪音扰民")
    page.fill("#id_description", "楼上邻居夜间装修噪音很大，多次协商无果，请求调解邻里纠纷。")
    _pick_place(page, world)
    page.fill("#id_address", "城关镇幸福路8号")
    page.fill("#id_applicant_name", "李秀英")
    page.fill("#id_applicant_phone", PHONE)
    page.fill("#id_applicant_id_number", _valid_id())
    page.fill("#id_respondent_name", "王建国")
    page.wait_for_selector("#register-hints .ok, #register-hints .warn")
    if tag == "zh":
        screenshot(page, "workbench-register")
    # Registering classifies, grades and links the case in this process (inline delivery):
    # the first registration of a test run also loads the segmenter and the model.
    with page.expect_navigation(wait_until="load", timeout=45000):
        page.click("#register-form button[type=submit]")
    if not page.locator("#case-code").count():
        errors = page.locator("p.error, .errorlist").all_inner_texts()
        raise AssertionError(f"registration refused: {errors}")
    code = page.inner_text("#case-code").strip()
    assert len(code) == 20
    assert page.locator(".qr svg").count() == 1
    if tag == "zh":
        screenshot(page, "workbench-receipt")
    else:
        assert not CJK.search(page.inner_text("h1"))

    # 2. The dispatcher routes it to the county justice bureau.
    page = page_factory(lang=lang)
    log_in(page, base, "dispatcher")
    page.wait_for_selector(f"a.code:text('{code}')")
    if tag == "zh":
        screenshot(page, "workbench-home-dispatcher")
    page.click(f"a.code:text('{code}')")
    page.wait_for_url(f"**/cases/{code}/")
    page.wait_for_selector("#action-dispatch")
    if tag == "zh":
        page.click("#action-dispatch > summary")
        page.select_option("#action-dispatch [name='dispatch-lead_unit']", str(world.justice.pk))
        screenshot(page, "workbench-dispatch")
    act(page, "dispatch", {"lead_unit": str(world.justice.pk)})
    expected = "已分流（待签收）" if zh else "Dispatched"
    assert expected in page.inner_text("#case-status")

    # 3. The handler signs for it and reports the result.
    page = page_factory(lang=lang)
    log_in(page, base, "justice_handler")
    page.click(f"a.code:text('{code}')")
    page.wait_for_url(f"**/cases/{code}/")
    act(page, "sign")
    page.wait_for_selector("#action-resolve")
    act(page, "resolve", {"result": "经司法所调解，双方签订调解协议，约定夜间停止施工。"})
    if tag == "zh":
        screenshot(page, "workbench-case-detail")

    # 4. The director reviews and closes it.
    page = page_factory(lang=lang)
    log_in(page, base, "director")
    page.click("a.wl-to_review")
    page.wait_for_selector(f"a.code:text('{code}')")
    page.click(f"a.code:text('{code}')")
    page.wait_for_url(f"**/cases/{code}/")
    act(page, "close")
    case = Case.objects.get(code=code)
    assert case.status == Status.CLOSED

    # 5. The citizen tracks it with the code and the last four digits, and rates it.
    page = page_factory(lang=lang, phone=True)
    page.goto(f"{base}/p/track/{code}/")
    page.fill("#id_phone_last4", PHONE[-4:])
    page.click("main button[type=submit]")
    page.wait_for_selector("input[name=satisfaction]")
    page.check("input[name=satisfaction][value=satisfied]")
    with page.expect_navigation(wait_until="load"):
        page.click("form[action$='/rate/'] button[type=submit]")
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"
    assert CaseEvent.objects.filter(case=case).count() >= 5
    return code


def test_full_loop_in_chinese(live_server, world, page_factory, screenshot):
    _run_loop(live_server, world, page_factory, screenshot, lang="zh-CN", tag="zh")


def test_full_loop_in_english(live_server, world, page_factory, screenshot):
    code = _run_loop(live_server, world, page_factory, screenshot, lang="en-US", tag="en")
    page = page_factory(lang="en-US")
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/cases/{code}/")
    screenshot(page, "workbench-case-detail-en")
    fits_the_screen(page)
