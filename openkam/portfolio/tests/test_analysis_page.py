"""From the refresh to the pages: what portfolio_refresh stores on a small ledger is what the
account page, the list and the home page show."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account, IndustryPosition
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.governance.services import review_open
from openkam.portfolio.models import AccountSnapshot
from openkam.portfolio.services import portfolio_refresh
from openkam.portfolio.tests.test_refresh import add_purchases, crowd_spend, simulated_days
from openkam.web.templatetags.openkam_ui import money, money_full, percent
from openkam.web.tests.builders import account_360

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def refreshed(world: World) -> Account:
    """The KAM's account buys 2.5M a month (a leader: proposed key), beside a crowd of small
    buyers the purchase models can be fitted on; then one refresh, and the year's tier review
    opened on it (which proposes the change)."""
    big = world.account
    big.industry_position = IndustryPosition.LEADER
    big.save()
    monthly = [dt.date(2024, 7, 15) + dt.timedelta(days=30 * k) for k in range(24)]
    add_purchases(big, monthly, "2500000")
    rng = np.random.default_rng(7)
    spend = np.random.default_rng(9)
    for _ in range(120):
        days = simulated_days(rng)
        add_purchases(AccountFactory.create(), days, crowd_spend(spend, days))
    portfolio_refresh(as_of=AS_OF)
    review_open(user=world.analyst, year=AS_OF.year)
    return big


def analysis_tab(client: Client, account: Account) -> str:
    html = account_360(client, account)
    start = html.index('id="analysis"')
    return html[start : html.index('id="profile"', start)]


def test_the_account_page_shows_what_the_refresh_stored(world: World, refreshed: Account) -> None:
    snapshot = AccountSnapshot.objects.get(account=refreshed, as_of=AS_OF)
    assert snapshot.p_alive is not None
    assert snapshot.clv is not None
    tab = analysis_tab(client_for(world.kam), refreshed)
    assert percent(snapshot.p_alive) in tab
    assert money(snapshot.clv) in tab
    assert snapshot.clv_net is not None  # no cost to serve recorded: the same as the CLV
    assert snapshot.clv_net == snapshot.clv
    assert 'data-testid="clv-net"' in tab
    assert money_full(snapshot.revenue_12m) == "¥30,000,000"
    assert "¥30,000,000" in tab
    assert 'data-testid="abc-revenue">A<' in tab
    assert "General → Key" in tab  # the open tier proposal
    assert "One refresh so far" in tab


def test_the_list_and_the_home_page_count_the_refreshed_accounts(
    world: World, refreshed: Account
) -> None:
    kam = client_for(world.kam)
    page = kam.get(reverse("accounts:list"), {"abc": "A", "proposal": "open"}).context["page"]
    assert [account.pk for account in page.object_list] == [refreshed.pk]
    assert page.object_list[0].snapshot_clv == AccountSnapshot.objects.get(account=refreshed).clv
    summary = kam.get(reverse("home")).context["dashboard"].figures
    assert summary["headline"]["accounts"] == 1  # the crowd belongs to no team of the KAM
    assert summary["open_proposals"] == 1
    assert summary["headline"]["top_share"] == pytest.approx(1.0)
    everyone = client_for(world.executive).get(reverse("home")).context["dashboard"].figures
    assert everyone["headline"]["accounts"] == Account.objects.count() == 123
    assert sum(everyone["pareto"]["counts"].values()) == 123
    assert everyone["headline"]["top_share"] > 0.5
