"""Reads of the refresh's results: the latest snapshot is the one of the latest date, fiscal
years are named as the company counts them, and every code the refresh stores has a label."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from openkam.analytics import churn, loyalty, portfolio, quadrants
from openkam.conftest import World
from openkam.portfolio import labels
from openkam.portfolio.selectors import account_analysis, fiscal_year_labels, latest_snapshot
from openkam.web.tests.builders import add_run, add_snapshot


@pytest.mark.django_db
def test_the_latest_snapshot_is_the_one_of_the_latest_date_not_the_latest_run(
    world: World,
) -> None:
    add_snapshot(world.account, as_of=dt.date(2026, 6, 30), clv=Decimal("2"))
    add_snapshot(world.account, as_of=dt.date(2026, 3, 31), clv=Decimal("1"))  # a back-fill
    found = latest_snapshot(world.account)
    assert found is not None
    assert found.as_of == dt.date(2026, 6, 30)
    assert found.clv == Decimal("2.00")


@pytest.mark.django_db
def test_an_account_without_snapshots_has_no_analysis(world: World) -> None:
    add_snapshot(world.other_account, as_of=dt.date(2026, 6, 30))
    assert account_analysis(world.account) is None


@pytest.mark.django_db
def test_the_analysis_reads_the_fiscal_year_of_the_run(world: World) -> None:
    run = add_run(dt.date(2026, 2, 28), parameters={"fiscal_year_start_month": "4"})
    add_snapshot(world.account, as_of=run.as_of, run=run)
    analysis = account_analysis(world.account)
    assert analysis is not None
    assert analysis.year_labels == ("2023/24", "2024/25", "2025/26", "2026/27", "2027/28")


@pytest.mark.django_db
def test_ageing_shares_are_of_the_overdue_amount(world: World) -> None:
    add_snapshot(
        world.account,
        as_of=dt.date(2026, 6, 30),
        ar_ageing={"0-30": 300.0, "31-60": 100.0, "61-90": 0, "91-180": 0, ">180": 0},
    )
    analysis = account_analysis(world.account)
    assert analysis is not None
    assert [(b.label, b.amount, b.share) for b in analysis.ageing] == [
        ("0-30", Decimal("300.0"), 0.75),
        ("31-60", Decimal("100.0"), 0.25),
        ("61-90", Decimal("0"), 0.0),
        ("91-180", Decimal("0"), 0.0),
        (">180", Decimal("0"), 0.0),
    ]


@pytest.mark.parametrize(
    ("as_of", "start_month", "expected"),
    [
        (dt.date(2026, 6, 30), 1, ("2024", "2025", "2026", "2027", "2028")),
        (dt.date(2026, 6, 30), 4, ("2024/25", "2025/26", "2026/27", "2027/28", "2028/29")),
        (dt.date(2026, 3, 31), 4, ("2023/24", "2024/25", "2025/26", "2026/27", "2027/28")),
        (dt.date(2099, 12, 31), 7, ("2097/98", "2098/99", "2099/00", "2100/01", "2101/02")),
    ],
)
def test_fiscal_years_are_named_by_their_first_calendar_year(
    as_of: dt.date, start_month: int, expected: tuple[str, ...]
) -> None:
    assert fiscal_year_labels(as_of, start_month) == expected


def test_every_quadrant_of_the_analytics_has_a_label_with_its_treatment() -> None:
    specs = (quadrants.SALES_PROFIT, quadrants.VOLUME_LOYALTY, quadrants.PORTFOLIO)
    codes = {q.code: q for spec in specs for q in spec.quadrants()}
    assert set(labels.QUADRANTS) == set(codes)
    with translation.override("en"):
        for code, quadrant in codes.items():
            assert str(labels.QUADRANTS[code].name) == quadrant.name
            assert str(labels.QUADRANTS[code].advice) == quadrant.treatment


def test_every_loyalty_type_churn_level_and_forecast_method_has_a_label() -> None:
    assert set(labels.LOYALTY_TYPES) == {
        loyalty.PREMIUM,
        loyalty.LATENT,
        loyalty.INERTIA,
        loyalty.NO_LOYALTY,
    }
    assert set(labels.CHURN_LEVELS) == set(labels.CHURN_COLORS) == set(labels.CHURN_ORDER)
    assert set(labels.CHURN_LEVELS) == {churn.LOW, churn.MEDIUM, churn.HIGH}
    assert set(labels.FORECAST_METHODS) == {portfolio.TREND, portfolio.MODEL, portfolio.BLEND}


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (churn.P_ALIVE_LOW, "probability alive below 50%"),
        (churn.P_ALIVE_VERY_LOW, "probability alive below 20%"),
        (churn.OVERDUE_VS_RHYTHM, "silent for 2 times the usual gap"),
        (churn.LONG_SILENCE, "silent for 4 times the usual gap"),
        (churn.VOLUME_DECLINE, "revenue down more than 30% in 6 months"),
        (churn.STEEP_DECLINE, "revenue down more than 60% in 6 months"),
        (churn.PAYMENT_WORSENING, "share of overdue receivables up more than 10%"),
        (churn.SATISFACTION_DROP, "satisfaction score down 1 or more"),
        ("unknown_code", "unknown_code"),
    ],
)
def test_churn_reasons_read_as_sentences_with_their_threshold(
    code: str, text: str, english: None
) -> None:
    assert labels.churn_reason(code) == text
