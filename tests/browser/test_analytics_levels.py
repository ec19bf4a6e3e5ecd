"""Figures by place with filters and drill-down, and the 平安稳定指数 page: desktop and phone,
Chinese and English. Screenshots land in docs/screenshots/analytics-*.png."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fengqiao.analytics import stability
from fengqiao.analytics.rollups import rebuild
from fengqiao.cases.choices import Channel, Status
from fengqiao.regions.synthetic import synthesize_county

from ._workbench_helpers import CJK, fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    world.register(status=Status.ARCHIVED, channel=Channel.PHONE)
    world.register(status=Status.HANDLING, risk_level="red")
    world.register(status=Status.REGISTERED, region=world.other_township.children.first())
    rebuild()
    stability.set_population(world.village, 3000)
    stability.compute_dirty()
    return world


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("zh-CN", True), ("en", False),
                                         ("en", True)])  # fmt: skip
def test_level_figures_drill_down_and_index(live_server, world, page_factory, screenshot,
                                            lang, phone):  # fmt: skip
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/analytics/?region={world.county.code}")
    section = page.locator("#by-place")
    assert section.locator(".stat strong").first.inner_text() == "3"
    rows = page.locator("#compare tbody tr")
    assert rows.count() >= 2
    sizes = page.evaluate(
        "[...document.querySelectorAll('#by-place .chart canvas')].map(c => [c.width, c.height])"
    )
    assert len(sizes) == 3 and all(w > 0 and h > 0 for w, h in sizes)
    fits_the_screen(page)
    suffix = f"{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}"
    section.scroll_into_view_if_needed()
    screenshot(page, f"analytics-levels-{suffix}")
    if lang == "en":
        labels = " ".join(page.locator("#by-place .stat .label, #by-place figcaption, "
                                       "#compare th").all_inner_texts())  # fmt: skip
        assert not CJK.search(labels)
    # The channel filter narrows the figures; the total opens the case list behind it.
    page.select_option("select[name=channel]", "phone")
    page.locator("form.filters button[type=submit]").click()
    assert page.locator("#by-place .stat strong").first.inner_text() == "1"
    page.locator("#by-place .stat a").first.click()
    page.wait_for_url("**/cases/?**")
    assert "channel=phone" in page.url and "region=420923" in page.url
    assert page.locator("table tbody tr").count() == 1
    # The index page: the score, its components and the ranking of the townships.
    page.goto(f"{live_server.url}/analytics/index/?region={world.county.code}")
    assert float(page.locator("#score").inner_text()) < 100
    assert page.locator("#parts tbody tr").count() == 7
    assert page.locator("#ranking tbody tr").count() >= 2
    fits_the_screen(page)
    screenshot(page, f"analytics-index-{suffix}")
    if lang == "en":
        assert not CJK.search(" ".join(page.locator("#parts th, h2").all_inner_texts()))


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("zh-CN", True), ("en", False),
                                         ("en", True)])  # fmt: skip
def test_risk_map_draws_offline_and_drills_down(live_server, world, page_factory, screenshot,
                                                lang, phone):  # fmt: skip
    synthesize_county(world.county)
    page = page_factory(lang, phone=phone)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url
            and "localhost" not in r.url and not r.url.startswith("data:") else None)  # fmt: skip
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/analytics/map/?region={world.county.code}&metric=index")
    page.wait_for_selector("#risk-map[data-drawn='1'] canvas")
    size = page.evaluate("(() => { const c = document.querySelector('#risk-map canvas');"
                         " return [c.width, c.height]; })()")  # fmt: skip
    assert size[0] > 0 and size[1] > 0
    assert not outside  # no tiles, no fonts, nothing from the internet
    fits_the_screen(page)
    suffix = f"{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}"
    screenshot(page, f"analytics-map-{suffix}")
    if lang == "en":
        assert not CJK.search(" ".join(page.locator("h1 ~ form label, .tabs a").all_inner_texts()))


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("en", True)])
def test_warnings_hot_issues_and_report_pages(live_server, world, page_factory, screenshot,
                                              lang, phone):  # fmt: skip
    cache.clear()
    for i in range(3):
        world.register(title=f"丽发新城搅拌站噪音扰民{i}", description="丽发新城小区旁边建搅拌站，"
                       "彻夜施工噪音粉尘严重。", phone=f"1380013800{i}")  # fmt: skip
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "leader")
    suffix = f"{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}"
    page.goto(f"{live_server.url}/analytics/hot/?region={world.county.code}")
    assert page.locator("#hot > li").count() >= 1
    assert "丽发新城搅拌站" in page.locator("#hot").inner_text()
    fits_the_screen(page)
    screenshot(page, f"analytics-hot-{suffix}")
    page.goto(f"{live_server.url}/analytics/warnings/?region={world.county.code}")
    assert page.locator("#lowest tbody tr").count() >= 1 or page.locator(".empty").count()
    fits_the_screen(page)
    screenshot(page, f"analytics-warnings-{suffix}")
    page.goto(f"{live_server.url}/analytics/report/?region={world.county.code}")
    with page.expect_download() as download:
        page.locator("#xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    fits_the_screen(page)
    screenshot(page, f"analytics-report-{suffix}")
    if lang == "en":
        assert not CJK.search(" ".join(page.locator(".tabs a, #summary th").all_inner_texts()))
