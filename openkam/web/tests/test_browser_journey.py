"""A KAM's first session in a real browser: log in, dashboard, list, search, account page,
English and back, log out. Screenshots of every step go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from openkam.accounts.models import Tier
from openkam.common.months import add_months
from openkam.conftest import World
from openkam.factories import AccountFactory, ContactFactory
from openkam.web.tests.builders import add_ledger, add_profile

pytestmark = pytest.mark.browser


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def portfolio(world: World) -> World:
    this_month = add_months(timezone.localdate(), 0)
    world.account.legal_name = "远景电梯(上海)有限公司"
    world.account.short_name = "远景上海"
    world.account.tier = Tier.KEY
    world.account.save()
    add_profile(world.account, 2)
    add_ledger(world.account, 18, last_month=this_month)
    ContactFactory.create(account=world.account, name="王经理", title="采购总监")
    for account in AccountFactory.create_batch(5, team=world.team, owner=world.kam):
        add_ledger(account, 6, last_month=this_month)
    return world


def test_a_kam_logs_in_finds_an_account_switches_language_and_logs_out(
    page: Page, portfolio: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    page.goto("/")
    expect(page).to_have_url("/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot("01-login")

    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    expect(page.locator("[data-testid=kpi-revenue]")).to_be_visible()
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    shot("02-dashboard")

    page.click("[data-testid=nav-accounts]")
    expect(page).to_have_url("/accounts/")
    expect(page.locator("[data-testid=account-table] tbody tr")).to_have_count(6)
    shot("03-account-list")

    page.fill("[data-testid=account-search]", "远景上海")
    page.keyboard.press("Enter")
    rows = page.locator("[data-testid=account-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(page).to_have_url("/accounts/?q=%E8%BF%9C%E6%99%AF%E4%B8%8A%E6%B5%B7&sort=tier")
    shot("04-search")

    rows.first.locator("a").first.click()
    expect(page.locator("[data-testid=account-title]")).to_have_text("远景电梯(上海)有限公司")
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    shot("05-account")
    page.click("[data-testid=tab-contacts]")
    expect(page.locator("[data-testid=contacts-table]")).to_contain_text("王经理")
    shot("06-account-contacts")

    nav = page.locator("[data-testid=nav-accounts]")
    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav).to_have_text("Accounts")
    expect(page.locator("[data-testid=account-title]")).to_have_text("远景电梯(上海)有限公司")
    shot("07-account-english")

    page.click("[data-testid=language-zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(nav).to_have_text(translated("Accounts", "zh-hans"))
    shot("08-account-chinese")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    expect(page).to_have_url("/login/")
    page.goto("/accounts/")
    expect(page).to_have_url("/login/?next=/accounts/")
    shot("09-logged-out")
