"""A back-dated refresh records each account's tier as of its date (from the account's
history), so the tier movements between two refreshes are real; each value matrix is cut at
the portfolio's median or at the company's fixed values, and the refresh keeps where it cut."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.analytics import quadrants
from openkam.factories import AccountFactory
from openkam.portfolio.models import AccountSnapshot, MatrixCut, PortfolioSettings
from openkam.portfolio.services import portfolio_refresh
from openkam.portfolio.tests.test_refresh import add_purchases

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 31)
JUN = dt.date(2026, 6, 30)


def history_at(account: Account, day: dt.date) -> None:
    """Date the account's history records (made now) at noon of `day`."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    account.history.all().update(history_date=moment)


def test_a_back_dated_refresh_records_the_tiers_of_its_date() -> None:
    moved = AccountFactory.create(tier=Tier.MAJOR)
    history_at(moved, dt.date(2025, 12, 1))  # major since December
    stayed = AccountFactory.create(tier=Tier.GENERAL)
    history_at(stayed, dt.date(2025, 12, 1))
    # The review made it key in March (a history record of that day).
    moved.tier = Tier.KEY
    moved._change_reason = "Tier review 2026"  # type: ignore[attr-defined]
    moved.save()
    latest = moved.history.latest()
    latest.history_date = timezone.make_aware(dt.datetime(2026, 3, 15, 9))
    latest.save()

    portfolio_refresh(as_of=JAN)
    portfolio_refresh(as_of=JUN)

    tiers = dict(AccountSnapshot.objects.filter(account=moved).values_list("as_of", "tier"))
    assert tiers == {JAN: Tier.MAJOR, JUN: Tier.KEY}
    assert set(AccountSnapshot.objects.filter(account=stayed).values_list("tier", flat=True)) == {
        Tier.GENERAL
    }


def test_an_account_whose_history_starts_later_keeps_todays_tier() -> None:
    account = AccountFactory.create(tier=Tier.KEY)  # its history starts today
    portfolio_refresh(as_of=JAN)
    assert AccountSnapshot.objects.get(account=account).tier == Tier.KEY


@pytest.fixture
def three_accounts() -> list[Account]:
    """Revenue 1, 2 and 6 million in the 12 months to June (cost 70 %): the median is 2
    million, its gross profit 0.6 million."""
    accounts = []
    for amount in ("1000000", "2000000", "6000000"):
        account = AccountFactory.create()
        add_purchases(account, [dt.date(2026, 3, 10)], amount)
        accounts.append(account)
    return accounts


def test_the_sales_profit_matrix_is_cut_at_the_median_by_default(
    three_accounts: list[Account],
) -> None:
    run = portfolio_refresh(as_of=JUN)
    assert run.models_fitted["matrix_cuts"]["sales_profit"] == [2000000.0, 600000.0]
    codes = [AccountSnapshot.objects.get(account=a).sales_profit_quadrant for a in three_accounts]
    spec = quadrants.SALES_PROFIT
    assert codes == [spec.low_low.code, spec.high_high.code, spec.high_high.code]


def test_fixed_cuts_put_every_account_on_one_side(three_accounts: list[Account]) -> None:
    config = PortfolioSettings.current()
    config.sales_profit_cut = MatrixCut.FIXED
    config.sales_profit_revenue_cut = Decimal("500000")  # all three sell more
    config.sales_profit_margin_cut = Decimal("100000")  # and earn more
    config.volume_loyalty_cut = MatrixCut.FIXED
    config.volume_loyalty_revenue_cut = Decimal("9000000")  # none sells this much
    config.save()
    run = portfolio_refresh(as_of=JUN)
    assert run.models_fitted["matrix_cuts"]["sales_profit"] == [500000.0, 100000.0]
    assert run.models_fitted["matrix_cuts"]["volume_loyalty"][0] == 9000000.0
    snapshots = list(AccountSnapshot.objects.filter(account__in=three_accounts))
    assert {s.sales_profit_quadrant for s in snapshots} == {quadrants.SALES_PROFIT.high_high.code}
    high_volume = {quadrants.VOLUME_LOYALTY.high_high.code, quadrants.VOLUME_LOYALTY.high_low.code}
    assert not {s.volume_loyalty_quadrant for s in snapshots} & high_volume
