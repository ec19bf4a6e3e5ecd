"""The leader's overview: figures and charts drawn on first paint, desktop and phone, in
Chinese and English. Screenshots land in docs/screenshots/analytics-*.png."""

from __future__ import annotations

import pytest

from fengqiao.analytics.rollups import rebuild
from fengqiao.cases.choices import Status

from ._workbench_helpers import CJK, fits_the_screen, log_in, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    for status in (Status.ARCHIVED, Status.HANDLING, Status.REGISTERED):
        world.register(status=status)
    rebuild()
    return world


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("zh-CN", True), ("en", False)])
def test_overview_draws_its_charts_at_once(live_server, world, page_factory, screenshot,
                                           lang, phone):  # fmt: skip
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/analytics/")
    total = page.locator(".stat strong").first.inner_text()
    assert total == "3"
    # Every chart has a canvas of real size on first paint (not only after a resize).
    sizes = page.evaluate(
        "[...document.querySelectorAll('.chart canvas')].map(c => [c.width, c.height])"
    )
    assert len(sizes) == 7 and all(w > 0 and h > 0 for w, h in sizes)  # 4 + 3 by place
    fits_the_screen(page)
    heading = page.locator("h1").inner_text()
    if lang == "en":
        assert "overview of the last 12 months" in heading
        labels = " ".join(page.locator(".stat .label, figcaption").all_inner_texts())
        assert not CJK.search(labels)
    else:
        assert "态势总览" in heading
    screenshot(page, f"analytics-{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}")
