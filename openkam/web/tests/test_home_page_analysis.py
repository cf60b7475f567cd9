"""The home page's portfolio-analysis card: the latest refresh's concentration, ABC classes,
high churn risk and open tier proposals, counted over the accounts the user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts.models import Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.portfolio.models import PortfolioRun, TierProposal
from openkam.portfolio.selectors import PortfolioSummary
from openkam.team.models import User
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS_OF = dt.date(2026, 6, 30)
COMPANY = {"top_share": 0.8123, "top_fraction": 0.2, "gini": 0.7512, "hhi": 0.0456, "customers": 5}


def summary(user: User) -> PortfolioSummary | None:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.context["analysis"]


def card(user: User) -> str:
    html = client_for(user).get(reverse("home")).content.decode()
    start = html.index('data-testid="portfolio-analysis-card"')
    return html[start : html.index('data-testid="revenue-chart-card"', start)]


@pytest.fixture
def run(world: World) -> PortfolioRun:
    """Team one: world.account (A, high churn, open proposal) and a B account; team two: two
    accounts at high churn with an open proposal, which team one must never count."""
    run = add_run(AS_OF, concentration={"revenue": COMPANY})
    second = AccountFactory.create(team=world.team, owner=world.kam)
    other = AccountFactory.create(team=world.other_team, owner=world.other_kam)
    rows = [
        (world.account, "A", "high", "600000"),
        (second, "B", "low", "200000"),
        (world.other_account, "A", "high", "900000"),
        (other, "C", "high", "100000"),
        (world.unassigned_account, "C", "medium", "0"),
    ]
    for account, abc, churn, revenue in rows:
        add_snapshot(
            account,
            as_of=AS_OF,
            run=run,
            abc_revenue=abc,
            churn_level=churn,
            revenue_12m=Decimal(revenue),
        )
    for account in (world.account, world.other_account, other):
        TierProposal.objects.create(
            account=account, run=run, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
        )
    return run


def test_the_card_shows_the_latest_run_and_the_company_figures(
    world: World, run: PortfolioRun
) -> None:
    html = card(world.executive)
    assert "latest refresh: June 30, 2026" in html
    assert "whole portfolio" in html
    assert "81.2%" in html
    assert "of revenue from the top 20% of accounts" in html
    assert "0.75" in html
    assert "0.046" in html
    found = summary(world.executive)
    assert found is not None
    assert [(c.abc_class, c.count) for c in found.abc_counts] == [("A", 2), ("B", 1), ("C", 2)]
    assert (found.high_churn, found.open_proposals, found.accounts) == (3, 3, 5)


def test_the_counts_link_to_the_filtered_list(world: World, run: PortfolioRun) -> None:
    html = card(world.executive)
    assert '/accounts/?abc=A"' in html
    assert '/accounts/?churn=high&amp;sort=-clv"' in html
    assert '/accounts/?proposal=open"' in html


def test_a_kam_counts_only_the_accounts_they_may_see(world: World, run: PortfolioRun) -> None:
    found = summary(world.kam)
    assert found is not None
    assert [(c.abc_class, c.count) for c in found.abc_counts] == [("A", 1), ("B", 1), ("C", 0)]
    assert (found.high_churn, found.open_proposals, found.accounts) == (1, 1, 2)


def test_a_kam_sees_the_concentration_of_their_own_accounts_not_the_companys(
    world: World, run: PortfolioRun
) -> None:
    found = summary(world.kam)
    assert found is not None
    assert not found.whole_portfolio
    # Two accounts, 600,000 and 200,000: the top 20 % (one account) has 75 %.
    assert found.concentration["top_share"] == pytest.approx(0.75)
    assert found.concentration["customers"] == 2
    html = card(world.kam)
    assert "over your 2 accounts" in html
    assert "75.0%" in html
    assert "81.2%" not in html
    assert "whole portfolio" not in html


def test_the_latest_run_is_the_one_of_the_latest_date(world: World, run: PortfolioRun) -> None:
    add_run(AS_OF - dt.timedelta(days=90))  # started later, but of an earlier date
    found = summary(world.executive)
    assert found is not None
    assert found.run.as_of == AS_OF


def test_failed_or_running_refreshes_are_not_shown(world: World) -> None:
    add_run(AS_OF, status=PortfolioRun.Status.FAILED)
    add_run(AS_OF, status=PortfolioRun.Status.RUNNING)
    assert summary(world.executive) is None


def test_without_a_refresh_the_card_shows_an_empty_state(world: World) -> None:
    html = card(world.executive)
    assert "No portfolio refresh yet" in html
    assert "openkam refresh" in html
    assert "openkam refresh" not in card(world.kam)
