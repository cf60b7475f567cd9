"""Periods of the performance figures: a year (2026), a quarter (2026-Q3) or a month (2026-07)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openkam.common.months import add_months

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    """The months [start, end] (first days of months), with the same period a year before."""

    label: str
    start: dt.date
    end: dt.date
    months: int

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def last_day(self) -> dt.date:
        nxt = add_months(self.end, 1)
        return nxt - dt.timedelta(days=1)

    def before(self) -> Period:
        """The period of the same length just before this one (retention's base)."""
        return Period(
            f"before {self.label}",
            add_months(self.start, -self.months),
            add_months(self.end, -self.months),
            self.months,
        )

    def year_before(self) -> Period:
        return Period(
            f"{self.label} -1y",
            self.start.replace(year=self.start.year - 1),
            self.end.replace(year=self.end.year - 1),
            self.months,
        )

    def quarters(self) -> list[tuple[int, int]]:
        """(year, quarter) of the quarters within the period (none for a month)."""
        if self.months < 3:
            return []
        first = (self.start.month - 1) // 3 + 1
        return [(self.year, q) for q in range(first, first + self.months // 3)]


def period_parse(text: str) -> Period:
    match = _PATTERN.match(text.strip())
    if not match:
        raise ValidationError(
            {"period": _("Give a year (2026), a quarter (2026-Q3) or a month (2026-07).")}
        )
    year = int(match["year"])
    if match["quarter"]:
        first = (int(match["quarter"]) - 1) * 3 + 1
        return Period(text, dt.date(year, first, 1), dt.date(year, first + 2, 1), 3)
    if match["month"]:
        month = dt.date(year, int(match["month"]), 1)
        return Period(text, month, month, 1)
    return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 1), 12)
