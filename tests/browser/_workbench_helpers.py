"""Shared steps of the workbench browser tests."""

from __future__ import annotations

import re

from django.core.cache import cache

from fengqiao.testing.factories import PASSWORD
from fengqiao.testing.reference import load_reference_data

CJK = re.compile(r"[\u4e00-\u9fff]")


def make_world():
    from fengqiao.testing.factories import build_world

    cache.clear()
    load_reference_data()
    return build_world()


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def pick_place(page, world) -> None:
    page.select_option("#region-1", world.township.code)
    page.wait_for_selector(f"#region-2 option[value='{world.village.code}']", state="attached")
    page.select_option("#region-2", world.village.code)
    page.wait_for_selector(
        f"#region-2 option[value='{world.village.code}']:checked", state="attached"
    )


def act(page, action: str, fields: dict[str, str] | None = None) -> None:
    """Open one action of the case page, fill its form and confirm it.

    Waits for the action to be on the page first (the case page may still be loading after a
    click on a link) and for the post-and-redirect to finish before returning.
    """
    page.wait_for_selector(f"#action-{action}", state="attached")
    if not page.eval_on_selector(f"#action-{action}", "el => el.open"):
        page.click(f"#action-{action} > summary")
    for name, value in (fields or {}).items():
        selector = f"#action-{action} [name='{action}-{name}']"
        if page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_navigation(wait_until="load"):
        page.click(f"#action-{action} button[type=submit]")
