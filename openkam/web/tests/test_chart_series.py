"""The monthly chart data: months without business before the first one are left out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.common.months import add_months
from openkam.web.selectors import MonthFigures, chart_series


def months(revenues: list[int]) -> list[MonthFigures]:
    start = dt.date(2024, 1, 1)
    return [
        MonthFigures(add_months(start, i), Decimal(value), Decimal(value) / 2, 1)
        for i, value in enumerate(revenues)
    ]


def test_no_business_means_no_chart() -> None:
    assert chart_series(months([0] * 24)) is None


def test_leading_empty_months_are_dropped_down_to_the_last_twelve() -> None:
    series = chart_series(months([0] * 30 + [100] * 6))
    assert series is not None
    assert len(series["months"]) == 12
    assert series["months"][-1] == "2026-12"


def test_a_long_history_is_kept_whole_from_its_first_month() -> None:
    series = chart_series(months([0] * 4 + [100] * 32))
    assert series is not None
    assert series["months"][0] == "2024-05"
    assert series["revenue"][0] == 100.0
    assert series["margin"][0] == 50.0


def test_the_month_not_over_yet_is_named_as_month_to_date() -> None:
    figures = months([100] * 36)  # 2024-01 to 2026-12
    running = chart_series(figures, today=dt.date(2026, 12, 7))
    assert running is not None
    assert running["partial"] == "2026-12"
    assert chart_series(figures, today=dt.date(2026, 12, 31))["partial"] is None  # type: ignore[index]
    assert chart_series(figures, today=dt.date(2027, 1, 2))["partial"] is None  # type: ignore[index]
    assert chart_series(figures)["partial"] is None  # type: ignore[index]
