"""Calendar-month windows behind "last 12 months" and "the 12 months before"."""

from __future__ import annotations

import datetime as dt

from openkam.common.months import MonthWindow, add_months, previous_window, trailing_months


def test_adding_months_crosses_year_ends_both_ways() -> None:
    assert add_months(dt.date(2026, 11, 23), 2) == dt.date(2027, 1, 1)
    assert add_months(dt.date(2026, 1, 31), -1) == dt.date(2025, 12, 1)
    assert add_months(dt.date(2026, 3, 15), -24) == dt.date(2024, 3, 1)


def test_the_last_12_months_end_with_the_current_month() -> None:
    window = trailing_months(dt.date(2026, 11, 23))
    assert window == MonthWindow(start=dt.date(2025, 12, 1), end=dt.date(2026, 12, 1))
    assert window.last_month == dt.date(2026, 11, 1)
    assert len(window.months()) == 12


def test_the_window_before_has_the_same_length_and_touches() -> None:
    window = trailing_months(dt.date(2026, 1, 5))
    before = previous_window(window)
    assert before == MonthWindow(start=dt.date(2024, 2, 1), end=dt.date(2025, 2, 1))
    assert before.end == window.start
