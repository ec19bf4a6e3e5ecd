"""Reference data in English in a real browser: categories and grades by their English
names, and our own message for a too-long description (issue 11). Screenshots:
workbench-cases-categories-en.png, workbench-case-categories-en.png,
workbench-register-too-long-en.png (and its Chinese twin)."""

from __future__ import annotations

import pytest

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Category

from ._workbench_helpers import fits_the_screen, log_in, make_world, pick_place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    world.register(title="邻里排水纠纷", category=Category.objects.get(code="dispute.neighbor"))
    world.register(
        title="仓库消防通道堵塞",
        status=Status.HANDLING,
        category=Category.objects.get(code="hazard.fire"),
    )
    return world


def test_english_pages_name_categories_in_english(live_server, world, page_factory, screenshot):
    base = live_server.url
    page = page_factory(lang="en-US")
    log_in(page, base, "dispatcher")
    page.goto(f"{base}/cases/")
    table = page.inner_text("main table")
    assert "Neighbour disputes" in table and "Fire hazards" in table
    assert "邻里纠纷" not in table
    fits_the_screen(page)
    screenshot(page, "workbench-cases-categories-en")
    code = world.register(category=Category.objects.get(code="security.fraud")).code
    page.goto(f"{base}/cases/{code}/")
    assert "Public security / Fraud and illegal fund-raising" in page.inner_text("main")
    screenshot(page, "workbench-case-categories-en")


@pytest.mark.parametrize(
    ("lang", "message", "name"),
    [
        ("zh-CN", "诉求内容不能超过20000个字（现有20001个字）。", "workbench-register-too-long"),
        (
            "en-US",
            "“Description” must be at most 20000 characters (it has 20001).",
            "workbench-register-too-long-en",
        ),
    ],
)
def test_a_too_long_description_shows_our_message(
    live_server, world, page_factory, screenshot, lang, message, name
):
    base = live_server.url
    page = page_factory(lang=lang)
    log_in(page, base, "receptionist")
    page.goto(f"{base}/cases/new/")
    page.fill("#id_title", "邻居装修噪音扰民")
    # The browser stops typing at maxlength: lift it, as a pasted or scripted post would.
    page.eval_on_selector("#id_description", "el => el.removeAttribute('maxlength')")
    page.fill("#id_description", "长" * 20001)
    pick_place(page, world)
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_applicant_phone", "13912345678")
    page.click("main button[type=submit]")
    page.wait_for_selector(".has-error")
    assert message in page.inner_text("main")
    screenshot(page, name)
