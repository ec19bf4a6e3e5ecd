"""A red case's handler reports progress from the case page (the form the page loads beside
its clocks), on a desktop and a phone, in Chinese and English; the dashboard's 化解层级.
Screenshots: docs/screenshots/progress-report-*.png, analytics-settled-levels-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from fengqiao.analytics.rollups import rebuild
from fengqiao.cases import services
from fengqiao.cases.choices import Action, Status
from fengqiao.intake.types import PartyIn
from fengqiao.testing.factories import register

from ._workbench_helpers import CJK, act, fits_the_screen, log_in, make_world
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


@pytest.mark.parametrize("lang, phone", [("zh-CN", False), ("zh-CN", True), ("en", False)])
def test_handler_reports_progress_from_the_case_page(live_server, world, page_factory,
                                                     screenshot, lang, phone):  # fmt: skip
    case = world.register(status=Status.HANDLING, risk_level="red")
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "justice_handler")
    page.goto(f"{live_server.url}/cases/{case.code}/")
    page.wait_for_selector("#action-progress", state="attached")  # loaded into the page
    page.click("#action-progress > summary")
    fits_the_screen(page)
    suffix = f"{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}"
    page.locator("#clocks").scroll_into_view_if_needed()
    screenshot(page, f"progress-report-{suffix}")
    summary = page.locator("#action-progress > summary").inner_text()
    if lang == "en":
        assert "Report progress" in summary and not CJK.search(summary)
    act(page, "progress", {"text": "已约谈双方当事人，情绪稳定，正在协调赔偿方案。"})
    assert page.url.endswith("#clocks")
    body = page.locator("main").inner_text()
    assert ("Progress reported." if lang == "en" else "已报告办理进展。") in body
    assert case.events.filter(action=Action.PROGRESS_REPORT).count() == 1


@pytest.mark.parametrize("lang, phone", [("zh-CN", True), ("en", False)])
def test_dashboard_shows_where_cases_were_settled(live_server, world, page_factory, lang,
                                                  phone):  # fmt: skip
    for _i in range(3):
        world.register(status=Status.RESOLVED)  # settled by the county's justice bureau
    case = register(
        actor=world.township_dispatcher, center=world.township_center, channel="window",
        title="当场答复", description="宅基地政策", region=world.village,
        parties=[PartyIn(name="赵六", phone="13711112222")],
    )  # fmt: skip
    services.transition(case=case, action=Action.ANSWER, actor=world.township_dispatcher,
                        result="已答复")  # fmt: skip
    rebuild()
    page = page_factory(lang, phone=phone)
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/analytics/")
    figure = page.locator("#settled-levels")
    rows = figure.locator("tbody tr").all_inner_texts()
    assert len(rows) == 3 and "75%" in rows[2] and "25%" in rows[1]
    if lang == "en":
        assert not CJK.search(figure.inner_text())
    fits_the_screen(page)
    figure.scroll_into_view_if_needed()
    name = f"analytics-settled-levels-{'en' if lang == 'en' else 'zh'}{'-phone' if phone else ''}"
    figure.screenshot(path=str(_path(name)))


def _path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
