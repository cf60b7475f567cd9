"""Commitment periods run in whole calendar months from the contract's start month, and the
elapsed share counts whole months plus the days of the current one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.contracts.periods import Period, elapsed_share, period_at


def test_three_months_into_a_calendar_year_is_a_quarter_elapsed() -> None:
    period = period_at(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 12, dt.date(2026, 3, 31))
    assert period == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 12, 0)
    assert elapsed_share(period, dt.date(2026, 3, 31)) == Decimal("0.25")


def test_half_of_a_thirty_day_month_counts_half_a_month() -> None:
    period = period_at(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 12, dt.date(2026, 4, 15))
    assert period is not None
    # (3 whole months + 15/30) / 12 = 3.5 / 12
    assert elapsed_share(period, dt.date(2026, 4, 15)) == Decimal("3.5") / 12


def test_a_quarterly_commitment_reads_the_quarter_that_contains_the_day() -> None:
    period = period_at(dt.date(2026, 1, 10), dt.date(2027, 12, 31), 3, dt.date(2026, 8, 20))
    assert period == Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30), 3, 2)


def test_a_short_last_period_ends_with_the_term() -> None:
    period = period_at(dt.date(2026, 1, 1), dt.date(2027, 2, 28), 12, dt.date(2027, 2, 1))
    assert period == Period(dt.date(2027, 1, 1), dt.date(2027, 2, 28), 2, 1)


def test_after_the_end_the_last_period_is_wholly_elapsed() -> None:
    period = period_at(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 12, dt.date(2027, 5, 1))
    assert period is not None
    assert period.index == 0
    assert elapsed_share(period, dt.date(2027, 5, 1)) == Decimal("1")


def test_before_the_start_there_is_no_period() -> None:
    assert period_at(dt.date(2026, 3, 1), dt.date(2026, 12, 31), 12, dt.date(2026, 2, 27)) is None
