"""Calendar-month arithmetic and month windows, shared by the pages, the API and the
portfolio refresh (every figure over "the last 12 months" reads the same months)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


def add_months(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthWindow:
    """Calendar months from `start` (first day) up to, not including, `end` (first day)."""

    start: dt.date
    end: dt.date

    @property
    def last_month(self) -> dt.date:
        return add_months(self.end, -1)

    def months(self) -> list[dt.date]:
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return [add_months(self.start, offset) for offset in range(count)]


def trailing_months(today: dt.date, count: int = 12) -> MonthWindow:
    """The `count` calendar months that end with the current one (month to date included)."""
    end = add_months(today, 1)
    return MonthWindow(start=add_months(end, -count), end=end)


def previous_window(window: MonthWindow) -> MonthWindow:
    """The window of the same length just before `window`."""
    length = len(window.months())
    return MonthWindow(start=add_months(window.start, -length), end=window.start)


def in_window(window: MonthWindow, prefix: str = "") -> Q:
    """Rows whose `month` field falls in `window` (`prefix` reaches it through a relation)."""
    return Q(**{f"{prefix}month__gte": window.start, f"{prefix}month__lt": window.end})
