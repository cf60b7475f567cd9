"""The ten KPIs pinned on a hand-built ledger: a team of three accounts in 2026-Q3, one kept
from the quarter before, one lost, one new; four promised order lines; two forecasts; one
snapshot. Another team's account is in the ledger and must not count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.conftest import World
from openkam.factories import AccountFactory, AccountMonthFactory, ProductFactory
from openkam.ledger.models import Order, OrderLine
from openkam.ledger.services import deliveries_rebuild
from openkam.performance.kpis import compute
from openkam.performance.models import Forecast
from openkam.performance.periods import period_parse
from openkam.portfolio.models import AccountSnapshot, PortfolioRun

pytestmark = pytest.mark.django_db


def month(account: Account, when: str, revenue: int, cost: int = 0, quantity: int = 0) -> None:
    AccountMonthFactory.create(
        account=account,
        month=dt.date.fromisoformat(when + "-01"),
        revenue=revenue,
        cost=cost,
        quantity=quantity,
    )


def line(account: Account, promised: str, delivered: str | None, short: bool = False) -> None:
    order = Order.objects.create(
        account=account, order_no=f"SO-{promised}", order_date=dt.date(2026, 6, 1)
    )
    OrderLine.objects.create(
        order=order,
        account=account,
        product=ProductFactory.create(),
        quantity=Decimal(10),
        unit_price=0,
        unit_cost=0,
        promised_date=dt.date.fromisoformat(promised),
        delivered_date=dt.date.fromisoformat(delivered) if delivered else None,
        delivered_quantity=Decimal(9 if short else 10) if delivered else None,
    )
    deliveries_rebuild(account_ids=[account.pk])  # as every writer of lines does


@pytest.fixture
def figures(world: World) -> dict[str, object]:
    kept, lost = world.account, AccountFactory.create(team=world.team, owner=world.kam)
    new = AccountFactory.create(team=world.team, owner=world.kam)
    month(kept, "2025-07", 1000)
    month(kept, "2026-05", 400)
    month(kept, "2026-07", 1200, cost=700, quantity=10)
    month(lost, "2026-04", 300)
    month(new, "2026-08", 800, cost=500, quantity=5)
    month(world.other_account, "2026-07", 9999, cost=1)
    line(kept, "2026-07-10", "2026-07-09")  # on time, in full
    line(kept, "2026-08-01", "2026-08-05")  # late
    line(new, "2026-09-01", "2026-08-30", short=True)  # on time, short
    line(new, "2026-09-10", None)  # not delivered
    line(kept, "2026-10-01", "2026-10-01")  # promised after the quarter
    for account, kam_says, model_says in ((kept, 1000, 1500), (new, 1000, 800)):
        Forecast.objects.create(
            account=account,
            kam=world.kam,
            year=2026,
            quarter=3,
            amount=kam_says,
            model_amount=model_says,
        )
    run = PortfolioRun.objects.create(as_of=dt.date(2026, 9, 30))
    for account, revenue, ar_open, wallet in ((kept, 3000, 600, 0.5), (new, 1000, 400, 0.9)):
        AccountSnapshot.objects.create(
            run=run,
            account=account,
            as_of=run.as_of,
            revenue_12m=revenue,
            ar_open=ar_open,
            share_of_wallet=wallet,
        )
    later = PortfolioRun.objects.create(as_of=dt.date(2026, 10, 31))
    AccountSnapshot.objects.create(run=later, account=kept, as_of=later.as_of, ar_open=1)
    kpis = compute(Account.objects.filter(team=world.team), period_parse("2026-Q3"))
    return {kpi.key: kpi for kpi in kpis}


def value(figures: dict[str, object], key: str) -> object:
    return figures[key].value  # type: ignore[attr-defined]


def test_there_are_ten_kpis_each_with_a_definition(figures: dict[str, object]) -> None:
    assert len(figures) == 10
    assert all(str(kpi.definition) for kpi in figures.values())  # type: ignore[attr-defined]


def test_sales_are_the_teams_revenue_and_quantity_in_the_quarter(
    figures: dict[str, object],
) -> None:
    assert value(figures, "sales") == Decimal("2000")
    assert figures["sales"].detail["quantity"] == Decimal("15")  # type: ignore[attr-defined]


def test_margin_rate_is_margin_over_sales(figures: dict[str, object]) -> None:
    assert value(figures, "margin_rate") == pytest.approx(800 / 2000)


def test_growth_compares_with_the_same_quarter_a_year_before(figures: dict[str, object]) -> None:
    assert value(figures, "growth") == pytest.approx((2000 - 1000) / 1000)


def test_receivables_turnover_reads_the_last_snapshot_by_the_quarters_end(
    figures: dict[str, object],
) -> None:
    assert value(figures, "receivables_turnover") == pytest.approx(4000 / 1000)


def test_share_of_wallet_is_weighted_by_sales(figures: dict[str, object]) -> None:
    assert value(figures, "share_of_wallet") == pytest.approx((0.5 * 3000 + 0.9 * 1000) / 4000)


def test_forecast_accuracy_is_one_less_the_revenue_weighted_error(
    figures: dict[str, object],
) -> None:
    # Actuals 1200 and 800: the KAM missed by 200 + 200, the model by 300 + 0.
    assert value(figures, "forecast_accuracy") == pytest.approx(1 - 400 / 2000)
    assert figures["forecast_accuracy"].detail["model"] == pytest.approx(1 - 300 / 2000)  # type: ignore[attr-defined]


def test_satisfaction_has_no_data_yet(figures: dict[str, object]) -> None:
    assert value(figures, "satisfaction") is None
    assert not figures["satisfaction"].available  # type: ignore[attr-defined]


def test_new_customer_rate_counts_first_purchases_ever(figures: dict[str, object]) -> None:
    # Two accounts buy in the quarter; only one bought for the first time.
    assert value(figures, "new_customer_rate") == pytest.approx(1 / 2)


def test_retention_keeps_the_quarter_befores_buyers_who_buy_again(
    figures: dict[str, object],
) -> None:
    # Q2's buyers: the kept and the lost account; only the first bought in Q3.
    assert value(figures, "retention_rate") == pytest.approx(1 / 2)


def test_on_time_rate_counts_lines_delivered_in_full_by_the_promise(
    figures: dict[str, object],
) -> None:
    assert value(figures, "on_time_rate") == pytest.approx(1 / 4)


def test_a_month_has_no_forecast_accuracy(world: World) -> None:
    month(world.account, "2026-07", 100)
    kpis = {k.key: k for k in compute(Account.objects.all(), period_parse("2026-07"))}
    assert kpis["sales"].value == Decimal("100")
    assert kpis["forecast_accuracy"].value is None
