"""A KAM's day in a real browser: the portfolio dashboard after a refresh (figures, Pareto,
matrices, filters by htmx), a click through to an account from the attention list, a score
edited inline on the scorecard (no page reload, the position moves), then English.
Screenshots of every step go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.accounts.models import Tier
from openkam.common.months import add_months
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.portfolio.models import AccountScore, ScoringCriterion
from openkam.web.tests.builders import add_ledger, add_run, add_snapshot

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def refreshed(world: World) -> World:
    """The KAM's team: a key account at high churn risk with overdue receivables, and five
    more accounts, all in a refresh; another team's account the KAM must not see."""
    # A live-server test flushes the database after it, migration-seeded rows included: the
    # default scorecard criteria are put back, as the migration writes them, for this test.
    import_module("openkam.portfolio.migrations.0002_default_criteria").add_criteria(apps, None)
    this_month = add_months(timezone.localdate(), 0)
    run = add_run(AS_OF, parameters={"abc_a_cutoff": "0.8", "abc_b_cutoff": "0.95",
                                     "portfolio_strength_cut": "50",
                                     "portfolio_attractiveness_cut": "50"})  # fmt: skip
    world.account.legal_name = "远景电梯(上海)有限公司"
    world.account.short_name = "远景上海"
    world.account.tier = Tier.KEY
    world.account.save()
    add_ledger(world.account, 18, last_month=this_month)
    add_snapshot(
        world.account, as_of=AS_OF, run=run, tier=Tier.KEY, churn_level="high",
        churn_reasons=["p_alive_low"], ar_overdue=Decimal("80000"),
        revenue_12m=Decimal("3000000"), attractiveness=None, attractiveness_coverage=0.0,
        relative_strength=60.0, portfolio_quadrant="",
    )  # fmt: skip
    for index, account in enumerate(
        AccountFactory.create_batch(5, team=world.team, owner=world.kam)
    ):
        add_ledger(account, 6, last_month=this_month)
        add_snapshot(
            account, as_of=AS_OF, run=run, churn_level="low", ar_overdue=Decimal("0"),
            revenue_12m=Decimal(200000 * (index + 1)), attractiveness=40.0 + 10 * index,
            relative_strength=30.0 + 12 * index, portfolio_quadrant="",
            abc_revenue="B" if index > 2 else "C",
        )  # fmt: skip
    add_snapshot(world.other_account, as_of=AS_OF, run=run, revenue_12m=Decimal("9000000"))
    return world


def test_a_kam_reads_the_dashboard_opens_an_account_and_scores_it_inline(
    page: Page, refreshed: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    expect(page.locator("[data-testid=kpi-revenue]")).to_be_visible()
    expect(page.locator("[data-testid=kpi-churn]")).to_contain_text("1")
    expect(page.locator("[data-testid=pareto-card] canvas")).to_be_visible()
    expect(page.locator("[data-testid=matrix-sales_profit] canvas")).to_be_visible()
    expect(page.locator("[data-testid=lifecycle-funnel] canvas")).to_be_visible()
    expect(page.locator("[data-testid=attention-row]")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text(refreshed.other_account.legal_name)
    shot("01-dashboard")

    page.select_option("#id_tier", "key")
    expect(page).to_have_url("/?tier=key")
    expect(page.locator("[data-testid=kpi-revenue]")).to_contain_text("¥300万")
    shot("02-dashboard-filtered")

    page.locator("[data-testid=attention-row] a").first.click()
    expect(page.locator("[data-testid=account-title]")).to_have_text("远景电梯(上海)有限公司")
    expect(page.locator("[data-testid=header-health]")).to_be_visible()
    expect(page.locator("[data-testid=account-revenue-chart] canvas")).to_be_visible()
    shot("03-account")

    page.click("[data-testid=tab-scorecard]")
    scorecard = page.locator("[data-testid=scorecard]")
    expect(scorecard).to_be_visible()
    page.evaluate("window.okamMarker = 'same page'")
    for key in ("revenue_potential", "profit_potential", "market_leader", "solvency"):
        page.click(f"[data-testid=score-{key}-5]")
        expect(page.locator(f"[data-testid=score-{key}-5]")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("[data-testid=attractiveness-value]")).to_have_text("100.0")
    page.click("[data-testid=score-solvency-1]")
    expect(page.locator("[data-testid=attractiveness-value]")).to_have_text("80.0")
    expect(page.locator("[data-testid=scorecard-quadrant-name]")).to_be_visible()
    expect(page.locator("[data-testid=scorecard-count]")).to_have_text("4/28")
    assert page.evaluate("window.okamMarker") == "same page"  # no full-page reload
    shot("04-scorecard-edited")
    solvency = ScoringCriterion.objects.get(key="solvency")
    assert AccountScore.objects.get(account=refreshed.account, criterion=solvency).score == 1
    assert AccountScore.objects.filter(account=refreshed.account).count() == 4

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("[data-testid=tab-scorecard]")
    expect(page.locator("[data-testid=scorecard]")).to_contain_text("Revenue potential")
    shot("05-scorecard-english")
    page.goto("/")
    expect(page.locator("[data-testid=needs-attention]")).to_contain_text("Needs attention")
    shot("06-dashboard-english")
