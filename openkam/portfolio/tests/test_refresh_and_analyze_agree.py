"""One ledger through both customer-base analyses: the refresh (orders in the database, their
aggregates rebuilt, portfolio_refresh) and `analyze` (the same order lines as a frame) find the
same tier proposal, ABC class, CLV, P(alive), churn level and churn reasons for every account.

The ledger lies inside one calendar year ending on the as-of date, so the windows each path
measures revenue over (the refresh: the last twelve calendar months; analyze: the whole file and
the last 365 days) hold the same transactions; what is compared is how both turn them into
figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from openkam.accounts.models import Account
from openkam.analytics import churn
from openkam.analyze.pipeline import AnalysisOptions, AnalysisResult, run_analysis
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger.models import Order, OrderLine
from openkam.ledger.services import aggregates_rebuild
from openkam.portfolio import readers
from openkam.portfolio.models import AccountSnapshot, PortfolioSettings
from openkam.portfolio.services import Figures, compute_figures, portfolio_refresh

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 12, 31)
YEAR_START = dt.date(2025, 1, 1)
CUSTOMERS = 60
ONE_TIME_SILENT = 6  # the last six customers bought once, early in the year
KEY, MAJOR = 400_000, 120_000


def simulated_ledger(seed: int = 20251231) -> pl.DataFrame:
    """One order line per customer-day, whole yuan (so sums are exact in both paths): a
    BG/NBD-like crowd with spends that vary, a few big buyers, silent one-time buyers and one
    return."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, dt.date, float, float]] = []
    for i in range(CUSTOMERS):
        customer = f"C{i:03d}"
        cost_rate = rng.uniform(0.55, 0.85)
        scale = 20_000.0 if i % 10 == 0 else 3_000.0 * rng.lognormal(0.0, 0.5)
        if i >= CUSTOMERS - ONE_TIME_SILENT:
            days = [YEAR_START + dt.timedelta(days=int(rng.integers(0, 60)))]
        else:
            days = _repeat_days(rng, first=0 if i == 0 else int(rng.integers(0, 150)))
        for day in days:
            amount = float(round(rng.gamma(3.0, scale / 3.0)) + 1)
            rows.append((customer, day, amount, float(round(amount * cost_rate))))
    rows.append(("C001", dt.date(2025, 11, 20), -500.0, -350.0))  # a return, not a purchase
    return pl.DataFrame(
        rows, schema={"customer": pl.String, "date": pl.Date, "amount": pl.Float64,
                      "cost": pl.Float64},
        orient="row",
    )  # fmt: skip


def _repeat_days(rng: np.random.Generator, *, first: int) -> list[dt.date]:
    rate = rng.gamma(2.0, 1 / 8.0)  # purchases per week
    dropout = rng.beta(1.0, 6.0)
    week, days = first / 7.0, [first]
    while rng.random() >= dropout or len(days) == 1:
        week += rng.exponential(1 / rate)
        if week * 7 >= 365:
            break
        days.append(int(week * 7))
    return sorted({YEAR_START + dt.timedelta(days=d) for d in days})


def store_ledger(frame: pl.DataFrame) -> dict[str, Account]:
    """The frame as orders of one line each, then the aggregates the refresh reads."""
    product = ProductFactory.create()
    accounts = {
        customer: AccountFactory.create(short_name=customer)
        for customer in sorted(frame["customer"].unique().to_list())
    }
    orders = Order.objects.bulk_create(
        Order(account=accounts[customer], order_no=f"SO-{n}", order_date=day)
        for n, (customer, day) in enumerate(frame.select("customer", "date").iter_rows())
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            account=order.account,
            product=product,
            quantity=Decimal(1),
            unit_price=Decimal(str(amount)),
            unit_cost=Decimal(str(cost)),
            amount=Decimal(str(amount)),
            cost=Decimal(str(cost)),
        )
        for order, (amount, cost) in zip(
            orders, frame.select("amount", "cost").iter_rows(), strict=True
        )
    )
    aggregates_rebuild()
    return accounts


def same_settings() -> tuple[PortfolioSettings, AnalysisOptions]:
    config = PortfolioSettings.current()
    config.key_threshold, config.major_threshold = Decimal(KEY), Decimal(MAJOR)
    config.key_requires_leader = False
    config.major_requires_mid_or_leader = False
    config.purchase_model = "bgnbd"
    config.clv_horizon_months = 12
    config.discount_rate = Decimal("0.10")
    config.save()
    options = AnalysisOptions(
        key_threshold=KEY,
        major_threshold=MAJOR,
        key_requires_leader=False,
        purchase_model="bgnbd",
        horizon_months=12,
        annual_discount_rate=0.10,
        abc_a_cutoff=float(config.abc_a_cutoff),
        abc_b_cutoff=float(config.abc_b_cutoff),
    )
    return config, options


@pytest.fixture
def both() -> tuple[Figures, AnalysisResult, dict[str, Account]]:
    frame = simulated_ledger()
    accounts = store_ledger(frame)
    config, options = same_settings()
    figures = compute_figures(
        readers.account_table(), as_of=AS_OF, config=config, progress=lambda _step: None
    )
    result = run_analysis(frame, options)
    assert result.customers["customer_id"].tolist() == list(accounts)  # same order as the ids
    return figures, result, accounts


def test_the_ledger_exercises_every_convention(
    both: tuple[Figures, AnalysisResult, dict[str, Account]],
) -> None:
    figures, result, _accounts = both
    assert result.primary_model == "bgnbd"
    assert result.models["gamma_gamma"].error is None
    assert {"A", "B", "C"} <= set(result.customers["abc_class"].tolist())
    assert {"key", "major", "general"} <= set(result.customers["tier"].tolist())
    assert set(result.customers["churn_level"].tolist()) == {"low", "medium", "high"}
    silent = result.customers["churn_reasons"][-ONE_TIME_SILENT:]
    assert all(churn.LONG_SILENCE in reasons for reasons in silent)
    assert np.all(np.isfinite(figures.columns["clv"]))


def test_refresh_and_analyze_find_the_same_figures_per_account(
    both: tuple[Figures, AnalysisResult, dict[str, Account]],
) -> None:
    figures, result, _accounts = both
    refresh, analyze = figures.columns, result.customers
    np.testing.assert_allclose(refresh["p_alive"], analyze["p_alive"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(refresh["clv"], analyze["clv"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(
        refresh["expected_spend"], analyze["expected_spend"], rtol=1e-9, atol=1e-9
    )
    assert refresh["tier_proposed"].tolist() == analyze["tier"].tolist()
    assert refresh["abc_revenue"].tolist() == analyze["abc_class"].tolist()
    assert refresh["churn_level"].tolist() == analyze["churn_level"].tolist()
    assert figures.churn_reasons == analyze["churn_reasons"].tolist()


def test_the_stored_snapshots_carry_the_same_figures(
    both: tuple[Figures, AnalysisResult, dict[str, Account]],
) -> None:
    _figures, result, accounts = both
    portfolio_refresh(as_of=AS_OF)
    snapshots = {
        s.account_id: s for s in AccountSnapshot.objects.filter(as_of=AS_OF).order_by("account")
    }
    for row, account in enumerate(accounts.values()):
        stored = snapshots[account.pk]
        assert stored.p_alive == pytest.approx(result.customers["p_alive"][row], abs=1e-9)
        assert stored.clv == Decimal(str(round(float(result.customers["clv"][row]), 2)))
        assert stored.churn_level == result.customers["churn_level"][row]
        assert tuple(stored.churn_reasons) == result.customers["churn_reasons"][row]
        assert stored.tier_proposed == result.customers["tier"][row]
        assert stored.abc_revenue == result.customers["abc_class"][row]
