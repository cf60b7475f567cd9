"""Fixtures of the web tests: a fast password hasher, and a Chromium page driven by
Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connections

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing_chromium(request: pytest.FixtureRequest) -> None:
    message = (
        f"BROWSER TESTS NOT RUN: Chromium is missing at {CHROMIUM}. "
        "Install Debian's chromium (make browser) to run them."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} CI=true, so this is a failure.", pytrace=False)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line("!" * 78, red=True, bold=True)
        reporter.write_line(message, red=True, bold=True)
        reporter.write_line("!" * 78, red=True, bold=True)
    warnings.warn(message, stacklevel=1)
    pytest.skip(message)


@pytest.fixture
def browser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Debian's Chromium, headless. Started per test: Playwright's sync API runs an event
    loop in this thread, during which Django refuses ORM calls unless told otherwise."""
    if not CHROMIUM.exists():
        _missing_chromium(request)
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
        # Inside Playwright's loop Django keeps separate connections (asgiref locals follow
        # the async context); close them here or they block the test database's teardown.
        connections.close_all()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """test-artifacts/<test name>/ for screenshots (gitignored)."""
    folder = request.config.rootpath / "test-artifacts" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Browser, live_server: Any, settings: Any) -> Iterator[Page]:
    """A browser page on the live server. Static files are served unhashed from the finders:
    the manifest storage of production names files the live server's handler cannot find."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
