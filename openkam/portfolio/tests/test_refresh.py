"""portfolio_refresh turns ledger aggregates into dated snapshots (and the tier the policy
gives each account; proposals are the yearly review's, not the refresh's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from openkam.accounts.models import Account, IndustryPosition, Tier, WalletEstimate
from openkam.factories import AccountFactory
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, Invoice, Payment
from openkam.portfolio.models import AccountSnapshot, PortfolioRun, TierProposal
from openkam.portfolio.services import portfolio_refresh

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def add_purchases(account: Account, days: list[dt.date], amount: str | list[str]) -> None:
    """Purchase days (one amount for all, or one per day) plus the matching monthly aggregates
    (cost = 70 % of revenue)."""
    amounts = (
        [Decimal(a) for a in amount] if isinstance(amount, list) else [Decimal(amount)] * len(days)
    )
    AccountPurchaseDay.objects.bulk_create(
        AccountPurchaseDay(account=account, day=d, revenue=r, cost=r * Decimal("0.7"))
        for d, r in zip(days, amounts, strict=True)
    )
    months: dict[dt.date, tuple[Decimal, int]] = {}
    for d, r in zip(days, amounts, strict=True):
        total, count = months.get(d.replace(day=1), (Decimal(0), 0))
        months[d.replace(day=1)] = (total + r, count + 1)
    AccountMonth.objects.bulk_create(
        AccountMonth(
            account=account,
            month=month,
            revenue=revenue,
            cost=revenue * Decimal("0.7"),
            order_count=count,
            line_count=count,
        )
        for month, (revenue, count) in months.items()
    )


def simulated_days(rng: np.random.Generator) -> list[dt.date]:
    rate = rng.gamma(shape=0.6, scale=1 / 6.0)  # purchases per week
    dropout = rng.beta(0.8, 2.5)
    start = dt.date(2024, 7, 1) + dt.timedelta(days=int(rng.integers(0, 60)))
    days, week = [start], 0.0
    while True:
        if rng.random() < dropout and len(days) > 1:
            break
        week += rng.exponential(1 / rate)
        day = start + dt.timedelta(days=int(week * 7))
        if day > AS_OF:
            break
        days.append(day)
    return sorted(set(days))


def crowd_spend(rng: np.random.Generator, days: list[dt.date]) -> list[str]:
    """A small buyer's spend on each of its days, about 8,000: Gamma-Gamma needs spends that
    vary from one purchase to the next (with one fixed spend per account its p runs to the
    bound and no CLV is estimated)."""
    mean = 8000 * rng.lognormal(0.0, 0.3)
    return [f"{spend:.0f}" for spend in rng.gamma(4.0, mean / 4.0, size=len(days))]


@pytest.fixture
def ledger() -> dict[str, Account]:
    rng = np.random.default_rng(7)
    big = AccountFactory.create(industry_position=IndustryPosition.LEADER, credit_limit=10**7)
    mid = AccountFactory.create(industry_position=IndustryPosition.MID)
    small = AccountFactory.create()
    gone = AccountFactory.create()
    # 24 monthly purchases over the last two years: 2.5M a month for the big account.
    monthly = [dt.date(2024, 7, 15) + dt.timedelta(days=30 * k) for k in range(24)]
    add_purchases(big, monthly, "2500000")
    add_purchases(mid, monthly[::2], "1200000")  # 6 a year -> 7.2M
    add_purchases(small, monthly[12:], "50000")
    add_purchases(gone, monthly[:6], "400000")  # stopped buying 18 months ago
    # A crowd of small buyers drawn from a BG/NBD process (Fader, Hardie & Lee 2005), so the
    # purchase models have data they can identify.
    spend = np.random.default_rng(8)
    for _ in range(160):
        days = simulated_days(rng)
        add_purchases(AccountFactory.create(), days, crowd_spend(spend, days))
    Invoice.objects.create(
        account=big,
        invoice_no="INV-1",
        invoice_date=dt.date(2026, 1, 10),
        due_date=dt.date(2026, 2, 9),
        amount=Decimal("3000000"),
    )
    Invoice.objects.create(
        account=big,
        invoice_no="INV-2",
        invoice_date=dt.date(2026, 6, 10),
        due_date=dt.date(2026, 7, 10),
        amount=Decimal("2500000"),
    )
    paid = Invoice.objects.create(
        account=mid,
        invoice_no="INV-3",
        invoice_date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31),
        amount=Decimal("1000000"),
    )
    Payment.objects.create(account=mid, invoice=paid, payment_date=dt.date(2026, 4, 2),
                           amount=Decimal("1000000"))  # fmt: skip
    return {"big": big, "mid": mid, "small": small, "gone": gone}


def snapshot(account: Account) -> AccountSnapshot:
    return AccountSnapshot.objects.get(account=account, as_of=AS_OF)


def test_every_account_gets_one_snapshot_for_the_date(ledger: dict[str, Account]) -> None:
    run = portfolio_refresh(as_of=AS_OF)
    assert run.status == PortfolioRun.Status.DONE
    assert AccountSnapshot.objects.filter(as_of=AS_OF).count() == Account.objects.count() == 164
    assert run.accounts == 164


def test_revenue_windows_and_policy_tiers_follow_the_policy(ledger: dict[str, Account]) -> None:
    run = portfolio_refresh(as_of=AS_OF)
    big, mid, small = snapshot(ledger["big"]), snapshot(ledger["mid"]), snapshot(ledger["small"])
    # Purchases on the 15th of Jul 2025 .. Jun 2026 fall in the trailing 12 months.
    assert big.revenue_12m == Decimal("30000000.00")
    assert big.cost_12m == Decimal("21000000.00")
    assert big.revenue_prev_12m == Decimal("30000000.00")
    assert mid.revenue_12m == Decimal("7200000.00")
    assert (big.tier_proposed, mid.tier_proposed, small.tier_proposed) == (
        "key",
        "major",
        "general",
    )
    # The refresh proposes nothing (the yearly review does): it counts the changes the
    # policy would make, the big and the mid account.
    assert not TierProposal.objects.exists()
    assert run.models_fitted["tier_changes"] == 2
    assert (big.tier, mid.tier) == (Tier.GENERAL, Tier.GENERAL)


def test_abc_classes_put_the_big_accounts_in_a(ledger: dict[str, Account]) -> None:
    portfolio_refresh(as_of=AS_OF)
    assert snapshot(ledger["big"]).abc_revenue == "A"
    assert snapshot(ledger["big"]).revenue_rank == 1
    assert snapshot(ledger["gone"]).abc_revenue == "C"  # nothing in the last 12 months


def test_purchase_models_separate_the_active_from_the_lapsed(ledger: dict[str, Account]) -> None:
    run = portfolio_refresh(as_of=AS_OF)
    assert "params" in run.models_fitted["bgnbd"]
    big, gone = snapshot(ledger["big"]), snapshot(ledger["gone"])
    assert big.frequency == 23
    assert big.p_alive is not None
    assert gone.p_alive is not None
    assert 0.0 <= gone.p_alive < big.p_alive <= 1.0
    assert big.expected_purchases_12m is not None
    assert gone.expected_purchases_12m is not None
    assert big.expected_purchases_12m > gone.expected_purchases_12m
    assert big.clv is not None
    assert big.clv > 0
    assert gone.churn_level == "high"
    assert "long_silence" in gone.churn_reasons


def test_a_one_order_account_is_valued_from_its_own_order_not_the_population_mean(
    ledger: dict[str, Account],
) -> None:
    newcomer = AccountFactory.create()
    add_purchases(newcomer, [dt.date(2026, 6, 1)], "2000")
    run = portfolio_refresh(as_of=AS_OF)
    first_time = snapshot(newcomer)
    assert first_time.frequency == 0
    assert first_time.expected_spend is not None
    params = run.models_fitted["gamma_gamma"]["params"]
    population_mean = params["p"] * params["gamma"] / (params["q"] - 1)
    one_observation = params["p"] * (params["gamma"] + 2000) / (params["p"] + params["q"] - 1)
    # Gamma-Gamma's estimate from its one observed order (FH 2013 eq. 5 with x = 1), not the
    # population mean that the 2.5M-a-month account drags up.
    assert float(first_time.expected_spend) == pytest.approx(one_observation, abs=0.01)
    assert one_observation < population_mean / 2


def test_receivables_are_aged_from_the_due_date(ledger: dict[str, Account]) -> None:
    portfolio_refresh(as_of=AS_OF)
    big, mid = snapshot(ledger["big"]), snapshot(ledger["mid"])
    assert big.ar_open == Decimal("5500000.00")
    assert big.ar_overdue == Decimal("3000000.00")  # INV-1 due 9 Feb: 141 days overdue
    assert big.ar_ageing["91-180"] == pytest.approx(3_000_000)
    # Open but not yet due: 5.5M open less the 3M overdue, kept apart from the buckets.
    assert big.ar_ageing["not_due"] == pytest.approx(2_500_000)
    assert sum(big.ar_ageing.values()) == pytest.approx(5_500_000)
    assert big.credit_limit_use == pytest.approx(0.55)
    assert big.dso_days == pytest.approx(5_500_000 / 30_000_000 * 365)
    assert mid.ar_open == Decimal("0.00")


def test_a_second_run_on_the_same_date_replaces_its_snapshots(ledger: dict[str, Account]) -> None:
    first = portfolio_refresh(as_of=AS_OF)
    second = portfolio_refresh(as_of=AS_OF)
    assert AccountSnapshot.objects.filter(as_of=AS_OF).count() == 164
    assert set(AccountSnapshot.objects.values_list("run_id", flat=True)) == {second.pk}
    assert first.pk != second.pk


def test_older_snapshots_are_kept_for_trends(ledger: dict[str, Account]) -> None:
    portfolio_refresh(as_of=dt.date(2026, 5, 31))
    portfolio_refresh(as_of=AS_OF)
    assert AccountSnapshot.objects.filter(account=ledger["big"]).count() == 2


def test_concentration_is_recorded_on_the_run(ledger: dict[str, Account]) -> None:
    run = portfolio_refresh(as_of=AS_OF)
    revenue = run.concentration["revenue"]
    assert 0.8 < revenue["top_share"] <= 1.0
    assert 0 < revenue["gini"] < 1
    assert run.concentration["abc_revenue_counts"]["A"] >= 1


def test_the_volume_loyalty_matrix_reads_loyalty_as_the_loyalty_types_do(
    ledger: dict[str, Account],
) -> None:
    # Category spend of the year: the big and the mid account buy most of theirs from us,
    # the small and the lapsed one a sliver; a rare buyer twice this year, a sliver too.
    ledger["rare"] = AccountFactory.create()
    add_purchases(ledger["rare"], [dt.date(2025, 11, 20), dt.date(2026, 5, 20)], "100000")
    # Below both loyalty cuts, yet above the portfolio's median loyalty (most of the crowd
    # bought little this year): the matrix must not call it loyal.
    ledger["halfway"] = AccountFactory.create()
    days = [dt.date(2025, 7, 15), dt.date(2025, 8, 1), dt.date(2026, 5, 15)]
    add_purchases(ledger["halfway"], days, "100000")
    for name, spend in (("big", "32000000"), ("mid", "8000000"), ("small", "9000000"),
                        ("gone", "50000000"), ("rare", "5000000"),
                        ("halfway", "750000")):  # fmt: skip
        WalletEstimate.objects.create(
            account=ledger[name], year=AS_OF.year, category_spend=Decimal(spend)
        )
    portfolio_refresh(as_of=AS_OF)
    placed = AccountSnapshot.objects.filter(as_of=AS_OF).exclude(volume_loyalty_quadrant="")
    types = {row.loyalty_type for row in placed}
    assert {"premium", "none"} <= types, types
    halfway = snapshot(ledger["halfway"])
    assert halfway.loyalty_type == "none"
    assert halfway.volume_loyalty_quadrant == "speculative"  # large, not loyal
    for row in placed:
        loyal_quadrant = row.volume_loyalty_quadrant in ("core_value", "cultivate")
        if row.loyalty_type == "none":
            assert not loyal_quadrant, (row.loyalty_preference, row.loyalty_repeat)
        if row.loyalty_type == "premium":
            assert loyal_quadrant, (row.loyalty_preference, row.loyalty_repeat)
