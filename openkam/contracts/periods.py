"""Commitment periods and the share of one that has elapsed, at the ledger's grain: calendar
months. A contract's periods are counted from the first day of its start month, so a period is
a run of whole months and the ledger's monthly sums fall wholly in one period or another.

Elapsed share, on `as_of` inside a period of n months: (whole months before as_of's month +
as_of's day / days in its month) / n. At the end of March in a calendar-year period that is
3/12, so a contract of 1,200,000 a year is due 300,000 by then."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from openkam.common.months import add_months


@dataclass(frozen=True)
class Period:
    starts_on: dt.date  # the first day of its first month
    ends_on: dt.date  # the last day of its last month
    months: int
    index: int  # 0 for the contract's first period

    def month_starts(self) -> list[dt.date]:
        return [add_months(self.starts_on, offset) for offset in range(self.months)]


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def period_at(
    starts_on: dt.date, ends_on: dt.date, period_months: int, as_of: dt.date
) -> Period | None:
    """The commitment period that contains `as_of` (the last one once the term is over);
    None before the term begins."""
    first = starts_on.replace(day=1)
    if as_of < first:
        return None
    term = month_index(ends_on) - month_index(first) + 1
    step = max(1, min(period_months, term))
    offset = min(month_index(as_of), month_index(ends_on)) - month_index(first)
    index = offset // step
    begin = index * step
    months = min(step, term - begin)
    start = add_months(first, begin)
    return Period(start, last_day(add_months(start, months - 1)), months, index)


def elapsed_share(period: Period, as_of: dt.date) -> Decimal:
    """How much of the period has passed on `as_of` (0 to 1, by calendar month)."""
    if as_of < period.starts_on:
        return Decimal("0")
    if as_of >= period.ends_on:
        return Decimal("1")
    whole = month_index(as_of) - month_index(period.starts_on)
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return (Decimal(whole) + Decimal(as_of.day) / Decimal(days)) / Decimal(period.months)
