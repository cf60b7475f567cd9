"""In a real browser: a contract ending in 60 days shows on the account page and in the
renewal list, its page shows the shortfall against the ledger with the chart drawn; the KAM
records a new contract through the form and signs it. Pages photographed in zh-hans and en
(test-artifacts/ and /work/notes/shots/contracts/ when it exists)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.common.months import add_months
from openkam.conftest import World
from openkam.contracts.models import Contract
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import ProductFactory
from openkam.web.tests.conftest import artifacts, browser, page

pytestmark = pytest.mark.browser
__all__ = ["artifacts", "browser", "page"]
SHOTS = Path("/work/notes/shots/contracts")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_a_contract_ending_in_60_days_and_its_shortfall_in_the_browser(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    today = timezone.localdate()
    start = add_months(today, -10)
    product = ProductFactory.create(family="曳引机")
    ending = contract(
        world.account, number="HT-2026-0060", title="曳引机年度供货合同", starts_on=start,
        ends_on=today + dt.timedelta(days=60), commitment_period="term",
        committed_value=Decimal("1200000"),
        items=[{"family": "曳引机", "unit_price": Decimal("5000"), "quantity": Decimal("240"),
                "amount": Decimal("1200000"), "unit": "台"}],
    )  # fmt: skip
    bought(world.account, product, on=add_months(today, -6), amount="300000", quantity="58")
    bought(world.account, product, on=add_months(today, -2), amount="210000", quantity="42")

    _login(page, "kam1")
    page.goto(f"/accounts/{world.account.pk}/")
    card = page.locator("[data-testid=account-contracts-card]")
    expect(card.locator("[data-testid=account-contract]")).to_contain_text("HT-2026-0060")
    expect(card.locator("[data-testid=account-contract-renewal]")).to_contain_text("60")
    card.scroll_into_view_if_needed()
    shot("account-card-zh")

    page.goto("/contracts/?status=expiring")
    expect(page.locator("[data-testid=contract-row]")).to_have_count(1)
    shot("renewals-due-zh")

    page.click("text=HT-2026-0060")
    expect(page).to_have_url(ending.get_absolute_url())
    expect(page.locator("[data-testid=execution-gap]")).to_contain_text("-¥")
    expect(page.locator("[data-testid=execution-chart] canvas")).to_have_count(1)
    shot("contract-page-zh")

    page.goto(f"/contracts/accounts/{world.account.pk}/new/")
    page.fill("[name=number]", "HT-2027-0001")
    page.fill("[name=title]", "2027年度门机供货合同")
    page.fill("[name=starts_on]", f"{today.year + 1}-01-01")
    page.fill("[name=ends_on]", f"{today.year + 1}-12-31")
    page.fill("[name=committed_value]", "800000")
    page.fill("[name=items-0-family]", "门机")
    page.fill("[name=items-0-amount]", "800000")
    shot("contract-form-zh")
    page.click("[data-testid=save-contract]")
    expect(page.locator("[data-testid=contract-status]")).to_have_text("草稿")
    page.click("[data-testid=sign-contract]")
    expect(page.locator("[data-testid=contract-status]")).to_have_text("执行中")
    assert Contract.objects.get(number="HT-2027-0001").state == "signed"

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(ending.get_absolute_url())
    expect(page.locator("[data-testid=contract-status]")).to_have_text("Expiring")
    shot("contract-page-en")
    page.goto("/contracts/")
    expect(page.locator("[data-testid=contract-row]")).to_have_count(2)
    shot("contracts-list-en")
    page.goto(f"/accounts/{world.account.pk}/")
    page.locator("[data-testid=account-contracts-card]").scroll_into_view_if_needed()
    shot("account-card-en")
