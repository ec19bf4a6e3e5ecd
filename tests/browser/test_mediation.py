"""Mediation in a real browser: a citizen picks a mediator (点单) on a 375-px phone, and a
mediator takes a case through a session to the signed agreement and its PDF.

Screenshots land in docs/screenshots/mediation-*.png.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from fengqiao.cases.models import Case
from fengqiao.mediation.choices import AgreementStatus, RequestStatus
from fengqiao.mediation.models import Agreement, MediatorRequest
from fengqiao.mediation.tests.conftest import build_med, two_party_case

from ._workbench_helpers import fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def world(transactional_db):
    return make_world()


def test_citizen_picks_a_mediator_on_a_phone(live_server, world, page_factory, screenshot):
    med = build_med(world)
    case = two_party_case(world)
    page = page_factory("zh-CN", phone=True)
    page.goto(f"{live_server.url}/p/mediation/")
    assert page.locator("h1").inner_text() == "调解员和法律专家"
    assert page.locator(".med-card").count() == 3
    fits_the_screen(page)
    screenshot(page, "mediation-directory-phone")

    page.select_option("#id_kind", "legal_expert")
    page.click("button:has-text('查找')")
    page.wait_for_url("**kind=legal_expert**")
    assert page.locator(".med-card").count() == 1

    page.goto(f"{live_server.url}/p/mediation/m/{med.zhou.pk}/")
    assert "云梦话" in page.content()
    fits_the_screen(page)
    screenshot(page, "mediation-profile-phone")

    # From the tracking page: the case code, then the phone's last four digits.
    page.goto(f"{live_server.url}/p/mediation/choose/{case.code}/")
    page.fill("#id_phone_last4", "0000")
    page.click("button:has-text('下一步')")
    assert "未找到该案件" in page.locator(".alert.error").inner_text()
    page.fill("#id_phone_last4", "8000")
    page.click("button:has-text('下一步')")
    page.wait_for_selector(f"label[for='m-{med.zhou.pk}']")
    fits_the_screen(page)
    screenshot(page, "mediation-choose-phone")

    page.click(f"label[for='m-{med.zhou.pk}']")
    page.fill("#id_note", "希望下午调解")
    page.click("#choose-submit")
    page.wait_for_selector("#choice-status")
    assert "等待综治中心确认" in page.locator("#choice-status").inner_text()
    fits_the_screen(page)
    screenshot(page, "mediation-chosen-phone")
    request = MediatorRequest.objects.get(case=case)
    assert request.mediator == med.zhou and request.status == RequestStatus.PENDING


def _draw(page) -> None:
    page.locator("#sigpad").scroll_into_view_if_needed()
    box = page.locator("#sigpad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 80)
    page.mouse.down()
    for i in range(1, 20):
        page.mouse.move(box["x"] + 20 + i * 15, box["y"] + 80 + (25 if i % 2 else -25))
    page.mouse.up()


def test_a_session_through_to_the_pdf_agreement(live_server, world, page_factory, screenshot):
    med = build_med(world)
    case = two_party_case(world)
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "mediator")

    # The workbench case page shows the mediation section (loaded by htmx).
    page.goto(f"{live_server.url}/cases/{case.code}/")
    page.wait_for_selector("#mediation a:has-text('窗口代群众点单')")
    page.click("#mediation a:has-text('点单、调解会、协议书、套餐与对接')")
    page.wait_for_selector("#schedule-form")
    page.select_option("#schedule-form #id_mediator", str(med.zhou.pk))
    page.select_option("#schedule-form #id_room", str(med.room.pk))
    screenshot(page, "mediation-case")
    page.click("#schedule-form button[type=submit]")
    page.wait_for_selector("#outcome-form")
    assert Case.objects.get(pk=case.pk).status == "mediating"

    page.check("input[name=outcome][value=success]")
    page.fill("#id_notes", "双方到场，陈述事实后经释法说理，同意和解。")
    page.fill("#id_terms", "一、李四于三日内疏通排水沟；\n二、李四赔偿张三维修费800元。")
    page.fill("#id_performance", "2026年12月10日前付清")
    screenshot(page, "mediation-session-outcome")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_selector("#sign-form")

    for _ in range(3):  # the applicant, the respondent, the mediator
        _draw(page)
        with page.expect_navigation():
            page.click("#sign-submit")
        if not page.locator("#sign-form").count():
            break
        if not page.locator("#sign-form").count():
            break
    assert page.locator("#agreement-status").inner_text() == str(AgreementStatus.SIGNED.label)
    screenshot(page, "mediation-agreement")
    agreement = Agreement.objects.get(case=case)
    assert agreement.signatures.count() == 3
    assert Case.objects.get(pk=case.pk).status == "resolved"

    pdf = page.request.get(f"{live_server.url}/mediation/agreements/{agreement.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    _pdf_picture(pdf.body(), "mediation-agreement-pdf")

    # Anyone can check the code printed on it.
    public = page_factory("zh-CN", phone=True)
    public.goto(f"{live_server.url}/p/mediation/verify/")
    public.fill("#id_code", agreement.verification_code)
    public.click("button:has-text('核验')")
    public.wait_for_selector("#verify-result")
    assert agreement.number in public.locator("#verify-result").inner_text()
    fits_the_screen(public)
    screenshot(public, "mediation-verify-phone")

    page.goto(f"{live_server.url}/mediation/stats/")
    assert page.locator("#total-success-rate").inner_text() == "100%"
    screenshot(page, "mediation-stats")


def _pdf_picture(pdf: bytes, name: str) -> None:
    """The PDF's first page as a PNG (pdftoppm), to look at the layout."""
    if shutil.which("pdftoppm") is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(SCREENSHOTS / name),
            ],
            check=True,
        )
