"""Security in a real browser: an administrator sets up and uses the second factor; an
auditor finds a dispatcher's reveal of a phone number on the audit page and verifies the
chain. Screenshots land in docs/screenshots/security-*.png."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fengqiao.intake.types import PartyIn
from fengqiao.org.choices import Role
from fengqiao.security.models import AuditEntry, AuditKind
from fengqiao.testing.factories import PASSWORD, staff

from ._workbench_helpers import CJK, fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _code(user) -> str:
    device = TOTPDevice.objects.filter(user=user).order_by("-id").first()
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_an_administrator_sets_up_the_second_factor(
    live_server, world, page_factory, screenshot, settings
):
    settings.FENGQIAO_OTP_REQUIRED_ROLES = ["admin"]
    admin = staff(world.county_center, Role.ADMIN, "sysadmin")
    page = page_factory("zh-CN")
    _sign_in(page, live_server.url, "sysadmin")
    assert "/security/otp/" in page.url
    assert page.is_visible("#otp-secret") and "绑定动态口令" in page.inner_text("h1")
    screenshot(page, "security-otp-setup")
    page.fill("#otp-token", _code(admin))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert AuditEntry.objects.filter(kind=AuditKind.OTP_ENROLLED, actor_name="sysadmin").exists()
    phone = page_factory("en", phone=True)
    _sign_in(phone, live_server.url, "sysadmin")
    assert "One-time code" in phone.inner_text("h1")
    fits_the_screen(phone)
    assert not CJK.search(phone.inner_text("main"))
    screenshot(phone, "security-otp-verify-phone-en")


def test_an_auditor_finds_a_reveal_and_verifies_the_chain(
    live_server, world, page_factory, screenshot
):
    case = world.register(parties=[PartyIn(name="李四", phone="13912345678")])
    staff(world.county_center, Role.AUDITOR, "auditor")
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/cases/{case.code}/")
    page.click("text=查看完整信息")
    page.wait_for_selector(".revealed")
    assert "13912345678" in page.inner_text(".revealed")

    page = page_factory("zh-CN")
    log_in(page, live_server.url, "auditor")
    page.click("nav.mainnav >> text=安全审计")
    page.fill("#a-target", case.code)
    page.click("button[name=verify]")
    page.wait_for_selector("#chain-result")
    assert "审计链完整" in page.inner_text("#chain-result")
    table = page.inner_text("#audit-table")
    assert "查看完整个人信息" in table and "dispatcher" in table and "13912345678" not in table
    screenshot(page, "security-audit")

    phone = page_factory("en", phone=True)
    log_in(phone, live_server.url, "auditor")
    phone.goto(f"{live_server.url}/security/audit/?kind=login_ok")
    fits_the_screen(phone)
    assert "Signed in" in phone.inner_text("#audit-table")
    assert not CJK.search(phone.inner_text("main").replace("李", ""))
    screenshot(phone, "security-audit-phone-en")
