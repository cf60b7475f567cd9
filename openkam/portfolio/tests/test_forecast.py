"""The one reading of an account's revenue forecast (portfolio.forecast): the chart's months add
up to the snapshot's next year, spread by the purchase model's monthly Poisson rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from openkam.analytics import portfolio
from openkam.portfolio.forecast import RevenueForecast, forecast_explanation


def forecast(next_year: str, purchases: float | None) -> RevenueForecast:
    return RevenueForecast(
        next_year=Decimal(next_year),
        year_after=Decimal("0"),
        method=portfolio.BLEND,
        expected_purchases_12m=purchases,
    )


def test_the_months_are_a_twelfth_of_next_year_spread_as_the_purchases_vary() -> None:
    # 6 purchases a year: 0.5 a month; Poisson(0.5): P(0) = 0.607 >= 0.1, P(<=1) = 0.910 >= 0.9,
    # so a month holds 0 or 1 purchase in 80 % of cases: 0 and 10,000 / 0.5 = 20,000.
    band = forecast("120000", 6.0).monthly(after=dt.date(2026, 11, 1))
    assert band["months"] == [
        f"{month}" for month in ["2026-12", *[f"2027-{m:02d}" for m in range(1, 12)]]
    ]
    assert (band["mean"], band["low"], band["high"]) == (10000.0, 0.0, 20000.0)
    assert band["next_year"] == 120000.0


def test_without_a_purchase_model_rate_the_band_is_the_line() -> None:
    band = forecast("36000", None).monthly(after=dt.date(2026, 1, 1), months=3)
    assert band["months"] == ["2026-02", "2026-03", "2026-04"]
    assert (band["mean"], band["low"], band["high"]) == (3000.0, 3000.0, 3000.0)


@pytest.mark.parametrize(
    ("method", "words"),
    [
        (portfolio.TREND, "近三年收入的趋势"),
        (portfolio.MODEL, "购买模型"),
        (portfolio.BLEND, "加权推算"),
    ],
)
def test_the_explanation_says_how_the_method_made_it_in_chinese(method: str, words: str) -> None:
    with translation.override("zh-hans"):
        line = forecast_explanation(method)
    assert words in line
    assert line.startswith("预测：")
    assert line.endswith("未含在谈商机。")
