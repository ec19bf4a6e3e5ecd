"""Integrations in a real browser: a director adds a partner system and a webhook and
replays a dead delivery; a receptionist imports a file after its dry run and exports the
case list; cameras on a phone. Screenshots: docs/screenshots/integrations-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.integrations.choices import DeliveryStatus
from fengqiao.integrations.models import Delivery, Partner
from fengqiao.integrations.services import cameras, imports, webhooks

from ._workbench_helpers import fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _dead_delivery(world) -> Delivery:
    webhooks.create_subscription(
        name="县大数据平台", url="http://127.0.0.1:9/hook", actor=world.director
    )
    world.register()
    for d in Delivery.objects.all():
        webhooks.attempt(d.pk)
    later = timezone.now()
    for n in range(2, webhooks.MAX_ATTEMPTS + 1):
        later += webhooks.backoff(n - 1) + dt.timedelta(seconds=1)
        webhooks.retry_due(now=later)
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.DEAD
    return d


def test_director_adds_a_partner_and_a_webhook(live_server, world, page_factory, screenshot):
    dead = _dead_delivery(world)
    base = live_server.url
    page = page_factory("zh-CN")
    log_in(page, base, "director")
    page.click("nav.mainnav >> text=系统对接")
    page.wait_for_url("**/integrations/")
    page.click("nav.tabs >> text=对接系统")
    page.fill("#id_code", "suishoupai")
    page.fill("#id_name", "云梦随手拍")
    page.select_option("#id_kind", "open311")
    page.click("main button[type=submit]")
    assert "fq_" in page.locator(".notice").inner_text()
    assert Partner.objects.get(code="suishoupai").kind == "open311"
    fits_the_screen(page)
    screenshot(page, "integrations-partners")

    page.click("nav.tabs >> text=事件订阅")
    page.fill("#id_name", "派出所警务平台")
    page.fill("#id_url", "https://police.example.cn/hooks/fengqiao")
    page.check("input[value='dispatch']")
    page.click("main button[type=submit]")
    assert "whsec_" in page.locator(".notice").inner_text()
    screenshot(page, "integrations-webhooks")

    en = page_factory("en")
    log_in(en, base, "director")
    en.goto(f"{base}/integrations/deliveries/?status=dead")
    assert dead.case_code in en.content() and "Replay" in en.content()
    screenshot(en, "integrations-deliveries-en")
    en.click("button:has-text('Replay')")
    en.wait_for_selector("text=Delivery replayed.")
    dead.refresh_from_db()
    assert dead.attempts == 1  # tried again at once (the address still does not answer)


def test_receptionist_imports_after_a_dry_run_and_exports(
    live_server, world, page_factory, screenshot, tmp_path
):
    base = live_server.url
    header = ",".join(c.header for c in imports.COLUMNS)
    v = world.village.code
    good = f"2025-03-18 09:30,邻里纠纷一,排水沟堵塞。,{v},,window,张三,13800138000,,,1,,A1"
    bad = "2025-03-19 09:30,邻里纠纷二,双方因围墙发生争执。,999999999999,,window,李四,,,,1,,A2"
    path = tmp_path / "old.csv"
    path.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    page = page_factory("zh-CN")
    log_in(page, base, "receptionist")
    page.goto(f"{base}/integrations/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('校验（试运行）')")
    page.wait_for_url("**/integrations/imports/*/")
    assert "999999999999" in page.locator("table").inner_text()
    screenshot(page, "integrations-import-report")
    page.click("button:has-text('导入 1 行有效数据')")
    page.wait_for_selector("text=已开始导入")
    assert "100%" in page.locator("#import-progress").inner_text()
    screenshot(page, "integrations-import-done")

    page.goto(f"{base}/cases/")
    with page.expect_download() as info:
        page.click("text=导出为逗号分隔文本")
    body = info.value.path().read_text(encoding="utf-8-sig")
    assert "邻里纠纷一" in body and "138****8000" in body and "13800138000" not in body

    phone = page_factory("en", phone=True)
    log_in(phone, base, "receptionist")
    phone.goto(f"{base}/integrations/imports/")
    assert "Bulk import of historical cases" in phone.content()
    fits_the_screen(phone)
    screenshot(phone, "integrations-imports-phone-en")


def test_cameras_on_a_phone(live_server, world, page_factory, screenshot):
    cameras.register_camera(code="YM-XL-0001", name="解放路与建设路交叉口",
                            center=world.county_center, region=world.village)  # fmt: skip
    case = world.register()
    base = live_server.url
    page = page_factory("zh-CN", phone=True)
    log_in(page, base, "receptionist")
    page.goto(f"{base}/integrations/cases/{case.code}/cameras/")
    page.fill("#id_camera", "YM-XL-0001")
    page.fill("#id_starts_at", "2026-11-01T09:00")
    page.fill("#id_ends_at", "2026-11-01T10:30")
    page.fill("#id_note", "调取争执经过")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已引用视频点位")
    assert "解放路与建设路交叉口" in page.locator("table").inner_text()
    fits_the_screen(page)
    screenshot(page, "integrations-case-cameras-phone")
    en = page_factory("en")
    log_in(en, base, "director")
    en.goto(f"{base}/integrations/cameras/")
    assert "Cameras" in en.content()
    screenshot(en, "integrations-cameras-en")
