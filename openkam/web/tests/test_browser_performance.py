"""In a real browser: the director sets the team's year target and decomposes it to the KAMs
with the suggested split, submits it; the executive approves; the KAM sees their attainment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.factories import AccountMonthFactory
from openkam.performance.models import Level, Target, TargetStatus

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")


def test_director_sets_and_decomposes_executive_approves_kam_sees_attainment(
    page: Page, world: World, artifacts: Path
) -> None:
    year = dt.date.today().year
    AccountMonthFactory.create(account=world.account, month=dt.date(year - 1, 5, 1), revenue=800)
    AccountMonthFactory.create(account=world.account, month=dt.date(year, 2, 1), revenue=300)

    log_in(page, "dir")
    page.goto(f"/performance/teams/{world.team.pk}/?year={year}")
    page.fill("#team-amount", "1200")
    page.click("[data-testid=set-target]")
    expect(page.locator("[data-testid=target-amount]")).to_be_visible()
    # The suggested split (the only KAM sold everything last year) fills the KAM's input.
    kam_input = page.locator(f"input[name=kam_{world.kam.pk}]")
    expect(kam_input).to_have_value("1200.00")
    page.click("[data-testid=decompose]")
    expect(page.locator("[data-testid=kam-rate]").first).to_have_text("25.0%")
    page.click("[data-testid=submit-target]")
    page.screenshot(path=str(artifacts / "01-decomposed.png"), full_page=True)

    log_in(page, "exec")
    page.goto(f"/performance/teams/{world.team.pk}/?year={year}")
    page.click("[data-testid=approve-target]")
    expect(page.locator("[data-testid=target-status]")).to_have_text("已批准")
    assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.APPROVED}
    assert Target.objects.get(level=Level.KAM).amount == Decimal("1200.00")

    log_in(page, "kam1")
    page.goto("/performance/")
    expect(page.locator("[data-testid=attainment-sales] [data-testid=rate]")).to_have_text("25.0%")
    expect(page.locator("[data-testid=target-chart] canvas")).to_have_count(1)
    page.screenshot(path=str(artifacts / "02-my-performance.png"), full_page=True)
