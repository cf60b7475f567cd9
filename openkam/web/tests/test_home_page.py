"""The home dashboard: headline figures over the accounts the user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def this_month() -> dt.date:
    return add_months(timezone.localdate(), 0)


@pytest.fixture
def business(world: World, this_month: dt.date) -> None:
    """Team one: a key account and a general one; team two: a strategic account."""
    world.account.tier = Tier.KEY
    world.account.save()
    general = AccountFactory.create(team=world.team, tier=Tier.GENERAL, legal_name="普通客户")
    world.other_account.tier = Tier.STRATEGIC
    world.other_account.save()
    months = {
        world.account: ("6000", "4000"),
        general: ("2000", "1500"),
        world.other_account: ("10000", "7000"),
    }
    for account, (revenue, cost) in months.items():
        AccountMonthFactory.create(account=account, month=this_month, revenue=revenue, cost=cost)
        AccountMonthFactory.create(
            account=account, month=add_months(this_month, -12), revenue="1000", cost="500"
        )
        AccountMonthFactory.create(
            account=account, month=add_months(this_month, -24), revenue="77777", cost="0"
        )


def test_the_headline_counts_the_kams_accounts_by_tier(world: World, business: None) -> None:
    response = client_for(world.kam).get(reverse("home"))
    counts = {item.tier: item.count for item in response.context["headline"].tier_counts}
    assert counts == {"strategic": 0, "key": 1, "major": 0, "general": 1}


def test_revenue_compares_the_last_12_months_with_the_12_before(
    world: World, business: None
) -> None:
    headline = client_for(world.kam).get(reverse("home")).context["headline"]
    assert headline.revenue == Decimal("8000")
    assert headline.prior_revenue == Decimal("2000")
    assert headline.growth == Decimal("3")
    assert headline.gross_margin == Decimal("2500")
    assert headline.gross_margin_rate == Decimal("0.3125")
    assert headline.key_share == Decimal("0.75")


def test_the_executive_sees_the_whole_portfolio(world: World, business: None) -> None:
    response = client_for(world.executive).get(reverse("home"))
    headline = response.context["headline"]
    assert headline.revenue == Decimal("18000")
    assert headline.key_share == Decimal("16000") / Decimal("18000")
    html = response.content.decode()
    assert "¥18,000" in html
    assert "88.9%" in html


def test_top_accounts_are_ranked_by_revenue_and_link_to_the_account(
    world: World, business: None
) -> None:
    response = client_for(world.executive).get(reverse("home"))
    top = response.context["top_accounts"]
    assert [account.pk for account in top][:2] == [world.other_account.pk, world.account.pk]
    assert f'href="{world.other_account.get_absolute_url()}"' in response.content.decode()


def test_top_accounts_stop_at_ten(world: World, this_month: dt.date) -> None:
    for account in AccountFactory.create_batch(12, team=world.team):
        AccountMonthFactory.create(account=account, month=this_month, revenue="10")
    assert len(client_for(world.kam).get(reverse("home")).context["top_accounts"]) == 10


def test_the_chart_data_is_embedded_from_the_first_month_with_business(
    world: World, business: None, this_month: dt.date
) -> None:
    response = client_for(world.kam).get(reverse("home"))
    chart = response.context["chart"]
    assert chart["months"][0] == f"{add_months(this_month, -12):%Y-%m}"
    assert len(chart["months"]) == 13
    assert chart["revenue"][0] == 2000.0
    assert chart["revenue"][-1] == 8000.0
    assert chart["margin"][-1] == 2500.0
    assert 'id="portfolio-revenue-data"' in response.content.decode()


def test_without_business_the_dashboard_shows_empty_states(world: World) -> None:
    response = client_for(world.kam).get(reverse("home"))
    html = response.content.decode()
    assert response.context["chart"] is None
    assert "No revenue recorded in the last 24 months" in html
    assert "No account has revenue in the last 12 months" in html
    assert 'id="portfolio-revenue-data"' not in html


def test_a_kam_does_not_see_other_teams_accounts_among_the_top(
    world: World, business: None
) -> None:
    top = client_for(world.kam).get(reverse("home")).context["top_accounts"]
    assert world.other_account.pk not in {account.pk for account in top}
