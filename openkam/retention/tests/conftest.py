"""The browser fixtures of the web tests (Chromium page on the live server, artefacts)."""

from openkam.web.tests.conftest import artifacts, browser, page

__all__ = ["artifacts", "browser", "page"]
