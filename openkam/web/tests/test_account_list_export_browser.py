"""In a real browser: filters changed through htmx (no page load) are in the download."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.accounts.models import Region
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.web.tests.conftest import artifacts, browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_csv_download_follows_filters_changed_in_place(
    page: Page,  # noqa: F811
    world: World,
    artifacts: Path,  # noqa: F811
) -> None:
    AccountFactory.create(
        team=world.team, owner=world.kam, legal_name="华北电梯", region=Region.NORTH
    )
    AccountFactory.create(
        team=world.team, owner=world.kam, legal_name="华东电梯", region=Region.EAST
    )
    page.goto("/login/?next=/accounts/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page.locator("[data-testid=account-table]")).to_be_visible()
    page.select_option("#id_region", "north")
    expect(page).to_have_url(re.compile(r"region=north"), timeout=5000)  # htmx, no page load
    page.screenshot(path=str(artifacts / "accounts-north.png"))
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    path = download.value.path()
    assert path is not None
    rows = list(csv.reader(io.StringIO(Path(path).read_bytes().decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["华北电梯"]
    assert "region=north" in download.value.url
