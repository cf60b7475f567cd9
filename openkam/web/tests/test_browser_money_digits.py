"""In the Chinese UI no amount of money on the dashboard, an account's page or the account
list is written with more than 8 digits: large figures read in 万 and 亿, the exact figure on
hover; the currency is a sign, never "CNY"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.portfolio.models import AccountSnapshot
from openkam.web.tests.builders import add_snapshot
from openkam.web.tests.test_browser_dashboard_scorecard import AS_OF, refreshed  # noqa: F401

pytestmark = pytest.mark.browser
MONEY = re.compile(r"-?[¥$€£][\d,.]+(?:万|亿|K|M|B)?")


def _amounts(page: Page) -> list[str]:
    return MONEY.findall(page.locator("body").inner_text())


def test_no_money_on_the_main_pages_shows_more_than_8_digits_in_chinese(
    page: Page,
    refreshed: World,  # noqa: F811
) -> None:
    big = AccountFactory.create(team=refreshed.team, owner=refreshed.kam, legal_name="巨量集团")
    run = AccountSnapshot.objects.filter(account=refreshed.account).first().run  # type: ignore[union-attr]
    add_snapshot(big, as_of=AS_OF, run=run, revenue_12m=Decimal("1234567890"),
                 ar_overdue=Decimal("98765432"))  # fmt: skip
    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    seen = []
    for address in (
        "/",
        f"/accounts/{big.pk}/",
        f"/accounts/{refreshed.account.pk}/",
        "/accounts/",
    ):
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        amounts = _amounts(page)
        seen += amounts
        too_long = [a for a in amounts if len(re.sub(r"\D", "", a)) > 8]
        assert not too_long, (address, too_long)
        assert "CNY" not in page.locator("body").inner_text(), address
    assert any(a.endswith("亿") for a in seen), seen  # the big account's revenue, in 亿
    page.goto("/")
    hover = page.locator("[data-testid=kpi-revenue] .okam-money").first
    expect(hover).to_have_attribute("title", re.compile(r"^¥\d{1,3}(,\d{3})+$"))
    expect(hover).to_have_text(re.compile(r"^¥[\d.]+(万|亿)$"))
