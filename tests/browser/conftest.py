"""Browser tests: Playwright driving Debian's Chromium against a live server.

Skipped with a clear message where /usr/bin/chromium is missing (``make test`` installs it
when run as root). Screenshots land in docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FENGQIAO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}

# Playwright's sync API runs an event loop; Django must allow sync DB calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _on_sqlite() -> bool:
    from django.conf import settings

    return "sqlite" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(items):
    # On SQLite the live server and the test share one in-memory database connection; under a
    # loaded machine a request now and then meets it in use ("bad parameter or other API
    # misuse") and the page waits in vain. Such a test runs again (at most twice); a real
    # failure fails every run. PostgreSQL runs each test once.
    reruns = 2 if _on_sqlite() else 0
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reruns:
                item.add_marker(pytest.mark.flaky(reruns=reruns, reruns_delay=1))
            # One worker runs all browser tests (they share one browser).
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite():
    """On SQLite the live server's request threads share the test's one in-memory connection;
    two requests at once (the register page's htmx checks beside the region picker) misuse it
    ("bad parameter or other API misuse"). Serve one request at a time there."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The live server's own thread already uses the overriding connections.
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser):
    """Open a new page: ``page_factory(lang="zh-CN", phone=False)``."""
    contexts = []

    def make(lang: str = "zh-CN", phone: bool = False):
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under docs/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
