"""Grid management in a real browser: the grid worker's phone report offline and back online
(queued in the browser, sent once), a lost answer resent without a second case, and the
grid map drawn from local GeoJSON. Screenshots land in docs/screenshots/grid-*.png."""

from __future__ import annotations

import pytest

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.grid.models import FieldReport
from fengqiao.grid.services import field as field_services
from fengqiao.grid.services import imports
from fengqiao.grid.testing import build_grid_world

from ._workbench_helpers import CJK, fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)

INSIDE = {"latitude": 31.01, "longitude": 113.705}


@pytest.fixture
def gw(transactional_db):
    return build_grid_world(make_world())


def _report_page(page, base: str) -> None:
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation(INSIDE)
    log_in(page, base, "grid_worker")
    page.goto(f"{base}/grid/report/")
    page.wait_for_function("document.getElementById('r-lat').value !== ''")


def _fill(page, title: str) -> None:
    page.select_option("#r-category", "dispute")
    page.fill("#r-title", title)
    page.fill("#r-text", "两户因排水沟堵塞争吵，情绪激动，需要调解。")


def test_a_report_written_offline_is_sent_once_when_the_phone_is_back_online(
    live_server, gw, page_factory, screenshot
):
    page = page_factory("zh-CN", phone=True)
    _report_page(page, live_server.url)
    fits_the_screen(page)
    screenshot(page, "grid-report-phone")
    page.context.set_offline(True)
    _fill(page, "离线时写的上报")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#outbox li.queued")
    assert "联网后自动发送" in page.inner_text("#outbox")
    assert "离线" in page.inner_text("#net-state")
    screenshot(page, "grid-report-offline-phone")
    assert not FieldReport.objects.exists()
    page.context.set_offline(False)
    page.wait_for_selector("#outbox li.sent", timeout=20000)
    sent = page.inner_text("#outbox li.sent")
    case = Case.objects.get()
    assert case.code in sent and case.channel == Channel.GRID and case.grid == gw.grid
    report = FieldReport.objects.get()
    assert report.title == "离线时写的上报" and report.location_check == "inside"
    screenshot(page, "grid-report-sent-phone")


def test_a_lost_answer_is_sent_again_with_the_same_key_and_stored_once(
    live_server, gw, page_factory
):
    page = page_factory("zh-CN", phone=True)
    _report_page(page, live_server.url)
    calls = []

    def lose_first_answer(route):
        calls.append(route.request.headers.get("idempotency-key"))
        if len(calls) == 1:
            route.fetch()  # the server stores it …
            route.abort()  # … and the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/grid/report/submit/", lose_first_answer)
    page.wait_for_selector("#outbox[data-flushes]", state="attached")  # the first round, on load
    before = int(page.get_attribute("#outbox", "data-flushes"))
    _fill(page, "回执丢失的上报")
    page.click("#report-form button[type=submit]")
    page.wait_for_function(f"+document.getElementById('outbox').dataset.flushes > {before}")
    assert page.locator("#outbox li.queued").count() == 1  # the phone keeps it: no answer came
    assert FieldReport.objects.count() == 1  # stored, though the phone does not know it
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox li.sent")
    assert "未重复登记" in page.inner_text("#outbox li.sent")
    assert len(calls) == 2 and calls[0] == calls[1]
    assert FieldReport.objects.count() == 1 and Case.objects.count() == 1


def test_a_report_refused_by_the_server_stays_with_its_reason(live_server, gw, page_factory):
    page = page_factory("zh-CN", phone=True)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 30.5, "longitude": 114.3})  # 武汉: another county
    log_in(page, live_server.url, "grid_worker")
    page.goto(f"{live_server.url}/grid/report/")
    page.wait_for_function("document.getElementById('r-lat').value !== ''")
    _fill(page, "定位错误的上报")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#outbox li.failed")
    assert "不在云梦县范围内" in page.inner_text("#outbox li.failed")
    assert not FieldReport.objects.exists()


def _some_cases(gw) -> None:
    for i, lon in enumerate(("113.703", "113.705", "113.716")):
        grid = gw.grid if float(lon) < 113.71 else gw.east
        worker = gw.worker if grid == gw.grid else gw.other_worker
        field_services.submit_field_report(
            reporter=worker,
            grid=grid,
            key=f"map-case-{i:04d}",
            category="dispute",
            title=f"纠纷{i}",
            text="一起邻里纠纷",
            latitude="31.010",
            longitude=lon,
        )


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("en", False), ("zh-CN", True)])
def test_the_grid_map_draws_heat_and_points_and_clicks_through(
    live_server, gw, page_factory, screenshot, lang, phone
):
    _some_cases(gw)
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "township_director")
    page.goto(f"{live_server.url}/grid/map/?region={gw.world.village.code}")
    page.wait_for_function("document.getElementById('map-summary').textContent !== ''")
    size = page.evaluate(
        "(() => { const c = document.querySelector('#grid-map canvas');"
        " return [c.width, c.height]; })()"
    )
    assert size[0] > 200 and size[1] > 200
    summary = page.inner_text("#map-summary")
    fits_the_screen(page)
    if lang == "en":
        assert "2 grids" in summary and not CJK.search(
            page.inner_text("h1").replace(gw.world.village.full_name, "")
        )
    else:
        assert "网格2个" in summary and "3件" in summary
    screenshot(page, f"grid-map{'-en' if lang == 'en' else ''}{'-phone' if phone else ''}")
    if lang == "zh-CN" and not phone:
        box = page.locator("#grid-map").bounding_box()
        # A spot of the west grid away from the case points, in the chart's own pixels.
        x, y = page.evaluate(
            "echarts.getInstanceByDom(document.getElementById('grid-map'))"
            ".convertToPixel({geoIndex: 0}, [113.7015, 31.0150])"
        )
        with page.expect_navigation():
            page.mouse.click(box["x"] + x, box["y"] + y)
        assert f"/grid/g/{gw.grid.code}/cases/" in page.url
        assert page.locator("table.cases tbody tr").count() == 2


def test_overview_public_page_and_import_report(
    live_server, gw, page_factory, screenshot, tmp_path
):
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "township_director")
    page.goto(f"{live_server.url}/grid/?region={gw.world.township.code}")
    assert "尚未划分网格" in page.inner_text("main")
    screenshot(page, "grid-overview")
    page.goto(f"{live_server.url}/grid/g/{gw.grid.code}/")
    page.wait_for_selector("#grid-map canvas")
    screenshot(page, "grid-detail")
    path = tmp_path / "residents.xlsx"
    path.write_bytes(imports.template())
    page.goto(f"{live_server.url}/grid/data/import/?region={gw.world.township.code}")
    page.set_input_files("#file", str(path))
    page.click("button[name=dry_run][value='1']")
    page.wait_for_selector("#import-report")
    assert "有问题" in page.inner_text("#import-report")
    screenshot(page, "grid-import-dry-run")

    phone = page_factory("zh-CN", phone=True)
    phone.goto(f"{live_server.url}/grid/public/{gw.grid.code}/")
    assert "13900001111" in phone.inner_text("main")
    fits_the_screen(phone)
    screenshot(phone, "grid-public-phone")

    en = page_factory("en", phone=True)
    log_in(en, live_server.url, "township_director")
    en.goto(f"{live_server.url}/grid/?region={gw.world.township.code}")
    fits_the_screen(en)
    screenshot(en, "grid-overview-en-phone")


def test_a_director_draws_a_grid_boundary_on_the_map(live_server, gw, page_factory, screenshot):
    page = page_factory("zh-CN")
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/grid/g/{gw.east.code}/")
    page.wait_for_selector("#grid-map canvas")
    page.click("details:has(#draw-tools) > summary")
    page.click("#draw-start")
    box = page.locator("#grid-map").bounding_box()
    for lon, lat in ((113.712, 31.004), (113.718, 31.004), (113.718, 31.016), (113.712, 31.016)):
        x, y = page.evaluate(
            "([lon, lat]) => echarts.getInstanceByDom(document.getElementById('grid-map'))"
            ".convertToPixel({geoIndex: 0}, [lon, lat])",
            [lon, lat],
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert "4" in page.inner_text("#draw-state")
    page.click("#draw-done")
    screenshot(page, "grid-draw-boundary")
    with page.expect_navigation():
        page.click("details:has(#draw-tools) button[type=submit]")
    gw.east.refresh_from_db()
    assert gw.east.boundary_source == "drawn"
    min_lon, min_lat, max_lon, max_lat = (
        gw.east.min_lon,
        gw.east.min_lat,
        gw.east.max_lon,
        gw.east.max_lat,
    )
    assert 113.711 < min_lon < 113.713 and 113.717 < max_lon < 113.719
    assert 31.003 < min_lat < 31.005 and 31.015 < max_lat < 31.017
