"""Calendar-month arithmetic shared by the dashboards and the portfolio refresh."""

from __future__ import annotations

import datetime as dt


def add_months(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
