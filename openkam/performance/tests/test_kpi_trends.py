"""Each KPI's monthly trend and the rows behind its figure, pinned on a hand-built ledger: a
team of three accounts (one kept, one lost, one new), five order lines, two forecasts, two
snapshots and two survey answers; another team's account must not count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.performance.kpi_drill import drill
from openkam.performance.kpi_trends import trends
from openkam.performance.kpis import compute
from openkam.performance.models import Forecast
from openkam.performance.periods import period_parse
from openkam.performance.tests.test_kpis import line, month
from openkam.portfolio.models import AccountSnapshot, PortfolioRun
from openkam.surveys.tests.builders import answer, campaign, contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_accounts(world: World) -> dict[str, Account]:
    kept, lost = world.account, AccountFactory.create(team=world.team, owner=world.kam)
    new = AccountFactory.create(team=world.team, owner=world.kam)
    month(kept, "2025-07", 1000)
    month(kept, "2026-05", 400)
    month(kept, "2026-06", 100)
    month(kept, "2026-07", 1200, cost=700, quantity=10)
    month(lost, "2026-04", 300)
    month(new, "2026-08", 800, cost=500, quantity=5)
    month(world.other_account, "2026-07", 9999, cost=1)
    line(kept, "2026-07-10", "2026-07-09")  # on time, in full
    line(kept, "2026-08-01", "2026-08-05")  # late
    line(new, "2026-09-01", "2026-08-30", short=True)  # on time, short
    line(new, "2026-09-10", None)  # not delivered
    line(world.other_account, "2026-09-11", None)
    for account, kam_says, model_says in ((kept, 1000, 1500), (new, 1000, 800)):
        Forecast.objects.create(
            account=account, kam=world.kam, year=2026, quarter=3, amount=kam_says,
            model_amount=model_says,
        )  # fmt: skip
    run = PortfolioRun.objects.create(as_of=dt.date(2026, 9, 30))
    for account, revenue, ar_open, wallet in ((kept, 3000, 600, 0.5), (new, 1000, 400, 0.9)):
        AccountSnapshot.objects.create(
            run=run, account=account, as_of=run.as_of, revenue_12m=revenue, ar_open=ar_open,
            share_of_wallet=wallet,
        )  # fmt: skip
    survey = campaign(end=dt.date(2026, 8, 31))
    at = dt.datetime(2026, 8, 20, 10, tzinfo=dt.UTC)
    answer(survey, contact(kept), nps=9, csat=5, at=at)
    answer(survey, contact(new), nps=3, csat=None, at=at, csat_product=2)
    answer(survey, contact(world.other_account), nps=0, csat=1, at=at)
    return {"kept": kept, "lost": lost, "new": new}


def _team(world: World) -> QuerySet[Account]:
    return Account.objects.filter(team=world.team)


def _at(series: dict[str, Any], key: str, label: str) -> object:
    return series[key][series["months"].index(label)]


def test_the_trend_is_the_twelve_months_to_the_periods_end(
    world: World, team_accounts: dict
) -> None:
    series = trends(_team(world), period_parse("2026-Q3"))
    assert series["months"][0] == "2025-10"
    assert series["months"][-1] == "2026-09"
    assert len(series["sales"]) == 12


def test_each_months_point_follows_the_kpis_definition(world: World, team_accounts: dict) -> None:
    series = trends(_team(world), period_parse("2026-Q3"))
    assert _at(series, "sales", "2026-07") == 1200.0
    assert _at(series, "margin_rate", "2026-08") == pytest.approx(300 / 800)
    assert _at(series, "growth", "2026-07") == pytest.approx((1200 - 1000) / 1000)
    assert _at(series, "growth", "2026-08") is None  # nothing sold a year before
    # July's buyer (kept) bought in June too; in August only the new account bought.
    assert _at(series, "retention_rate", "2026-07") == pytest.approx(1.0)
    assert _at(series, "retention_rate", "2026-08") == pytest.approx(0.0)
    assert _at(series, "retention_rate", "2026-05") == pytest.approx(0.0)  # April's lost
    assert _at(series, "new_customer_rate", "2026-08") == pytest.approx(1.0)
    assert _at(series, "new_customer_rate", "2026-07") == pytest.approx(0.0)
    assert _at(series, "on_time_rate", "2026-07") == pytest.approx(1.0)
    assert _at(series, "on_time_rate", "2026-09") == pytest.approx(0.0)  # short, undelivered
    assert _at(series, "forecast_accuracy", "2026-09") == pytest.approx(1 - 400 / 2000)
    assert _at(series, "forecast_accuracy", "2026-08") is None  # a point per quarter
    assert _at(series, "receivables_turnover", "2026-09") == pytest.approx(4000 / 1000)
    assert _at(series, "share_of_wallet", "2026-09") == pytest.approx((1500 + 900) / 4000)
    # Pooled CSAT answers of August: 5, 5, 5 and 2 (the other team's 1s do not count).
    assert _at(series, "satisfaction", "2026-08") == pytest.approx(17 / 4)


def test_the_quarters_satisfaction_is_the_pooled_mean_of_its_answers(
    world: World, team_accounts: dict
) -> None:
    kpis = {kpi.key: kpi for kpi in compute(_team(world), period_parse("2026-Q3"))}
    assert kpis["satisfaction"].value == pytest.approx(17 / 4)
    assert kpis["satisfaction"].detail["answers"] == 2


def test_the_trend_takes_a_fixed_number_of_queries(
    world: World, team_accounts: dict, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(7):  # type: ignore[operator]
        trends(_team(world), period_parse("2026"))


def _drilled(world: World, key: str, period: str = "2026-Q3") -> list[dict]:
    return drill(_team(world), period_parse(period), key).rows


def test_the_sales_figure_drills_to_the_accounts_that_bought(
    world: World, team_accounts: dict
) -> None:
    rows = _drilled(world, "sales")
    assert [(r["account_id"], r["sales"]) for r in rows] == [
        (team_accounts["kept"].pk, Decimal("1200")),
        (team_accounts["new"].pk, Decimal("800")),
    ]
    margin = _drilled(world, "margin_rate")
    assert margin[0]["margin_rate"] == pytest.approx(500 / 1200)


def test_retention_drills_to_the_earlier_buyers_lost_first(
    world: World, team_accounts: dict
) -> None:
    rows = _drilled(world, "retention_rate")
    assert [(r["account_id"], r["kept"]) for r in rows] == [
        (team_accounts["lost"].pk, False),
        (team_accounts["kept"].pk, True),
    ]


def test_new_customers_drill_to_first_purchases(world: World, team_accounts: dict) -> None:
    assert [r["account_id"] for r in _drilled(world, "new_customer_rate")] == [
        team_accounts["new"].pk
    ]


def test_on_time_drills_to_the_late_or_short_lines(world: World, team_accounts: dict) -> None:
    rows = _drilled(world, "on_time_rate")
    assert [str(r["promised_date"]) for r in rows] == ["2026-08-01", "2026-09-01", "2026-09-10"]


def test_growth_drills_to_the_largest_changes(world: World, team_accounts: dict) -> None:
    rows = _drilled(world, "growth")
    assert [(r["account_id"], r["change"]) for r in rows] == [
        (team_accounts["new"].pk, Decimal("800")),
        (team_accounts["kept"].pk, Decimal("200")),
    ]


def test_forecasts_drill_by_their_error(world: World, team_accounts: dict) -> None:
    rows = _drilled(world, "forecast_accuracy")
    assert [(r["account_id"], r["error"]) for r in rows] == [
        (team_accounts["kept"].pk, Decimal("200")),
        (team_accounts["new"].pk, Decimal("200")),
    ] or [r["error"] for r in rows] == [Decimal("200"), Decimal("200")]


def test_satisfaction_and_wallet_drill_to_their_rows(world: World, team_accounts: dict) -> None:
    assert len(_drilled(world, "satisfaction")) == 2
    wallet = _drilled(world, "share_of_wallet")
    assert [r["account_id"] for r in wallet] == [team_accounts["kept"].pk, team_accounts["new"].pk]


def test_receivables_drill_to_invoices_unpaid_at_their_due_date(
    world: World, team_accounts: dict
) -> None:
    from openkam.ledger.models import Invoice, Payment

    kept = team_accounts["kept"]
    late = Invoice.objects.create(
        account=kept, invoice_no="FP-1", invoice_date=dt.date(2026, 6, 1),
        due_date=dt.date(2026, 7, 31), amount=Decimal("1000"),
    )  # fmt: skip
    paid = Invoice.objects.create(
        account=kept, invoice_no="FP-2", invoice_date=dt.date(2026, 6, 1),
        due_date=dt.date(2026, 8, 31), amount=Decimal("500"),
    )  # fmt: skip
    Payment.objects.create(account=kept, invoice=late, payment_date=dt.date(2026, 7, 30),
                           amount=Decimal("400"), reference="P1")  # fmt: skip
    Payment.objects.create(account=kept, invoice=late, payment_date=dt.date(2026, 8, 30),
                           amount=Decimal("600"), reference="P2")  # fmt: skip
    Payment.objects.create(account=kept, invoice=paid, payment_date=dt.date(2026, 8, 1),
                           amount=Decimal("500"), reference="P3")  # fmt: skip
    rows = _drilled(world, "receivables_turnover")
    assert [(r["invoice_no"], r["paid"], r["unpaid"]) for r in rows] == [
        ("FP-1", Decimal("400"), Decimal("600"))
    ]
