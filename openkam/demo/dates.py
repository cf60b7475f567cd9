"""The demo's time window, with the Chinese business calendar that shapes when orders come in.

Days are counted as numpy datetime64[D] (days since 1970-01-01 as int64 underneath), so every
date computation in the generator is integer arithmetic on arrays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# Spring Festival (春节, first day of the lunar year). Factories and sites stop for about two
# weeks around it, which is the January/February dip in every Chinese B2B ledger.
SPRING_FESTIVAL: dict[int, str] = {
    2010: "02-14",
    2011: "02-03",
    2012: "01-23",
    2013: "02-10",
    2014: "01-31",
    2015: "02-19",
    2016: "02-08",
    2017: "01-28",
    2018: "02-16",
    2019: "02-05",
    2020: "01-25",
    2021: "02-12",
    2022: "02-01",
    2023: "01-22",
    2024: "02-10",
    2025: "01-29",
    2026: "02-17",
    2027: "02-06",
    2028: "01-26",
    2029: "02-13",
    2030: "02-03",
    2031: "01-23",
    2032: "02-11",
    2033: "01-31",
    2034: "02-19",
    2035: "02-08",
}

# Month shape on top of the holidays: half-year and year-end pushes (冲量) by OEMs and
# developers closing their books; the summer and National Day months run a little slower.
MONTH_SEASON = np.array([0.95, 0.85, 1.05, 1.0, 1.0, 1.12, 0.95, 0.95, 1.05, 0.95, 1.1, 1.32])

WEEKDAY_WEIGHT = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.25, 0.08])  # Monday first


@dataclass(frozen=True)
class Window:
    """Every day from `start` to `end` (today) inclusive, grouped into calendar months."""

    start: dt.date
    end: dt.date
    first_day: int  # start as days since the epoch
    day_weight: NDArray[np.float64]  # how likely an order is on each day
    cumulative_weight: NDArray[np.float64]  # len(days) + 1, for sampling
    day_month: NDArray[np.int64]  # month index of each day
    month_start_day: NDArray[np.int64]  # index of each month's first day in the window
    month_end_day: NDArray[np.int64]  # index one past each month's last day in the window
    month_year: NDArray[np.int64]
    month_number: NDArray[np.int64]  # 1..12
    month_weight: NDArray[np.float64]  # seasonality, 1.0 for an average full month

    @property
    def n_days(self) -> int:
        return int(self.day_weight.size)

    @property
    def n_months(self) -> int:
        return int(self.month_start_day.size)

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def month_first_date(self) -> NDArray[np.datetime64]:
        """The first calendar day of every month (may fall before `start` for the first)."""
        text = [
            f"{y:04d}-{m:02d}-01" for y, m in zip(self.month_year, self.month_number, strict=True)
        ]
        return np.array(text, dtype="datetime64[D]")

    def sample_days(self, months: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.int64]:
        """A day index for each entry of `months`, drawn with the day weights of that month."""
        low = self.cumulative_weight[self.month_start_day[months]]
        high = self.cumulative_weight[self.month_end_day[months]]
        target = low + rng.random(months.size) * (high - low)
        days = np.searchsorted(self.cumulative_weight, target, side="right") - 1
        return np.clip(days, self.month_start_day[months], self.month_end_day[months] - 1)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def holiday_weight(days: NDArray[np.datetime64]) -> NDArray[np.float64]:
    """1.0 on ordinary days, less around Spring Festival and the legal holidays."""
    weight = np.ones(days.size)
    month_day = (days - days.astype("datetime64[Y]")).astype(np.int64)  # day of the year - 1
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    for year in np.unique(years):
        festival = np.datetime64(f"{year}-{SPRING_FESTIVAL.get(int(year), '02-05')}")
        offset = (days - festival).astype(np.int64)
        weight[(offset >= -10) & (offset < -1)] *= 0.55  # sites wind down, workers travel home
        weight[(offset >= -1) & (offset <= 6)] *= 0.03  # the holiday itself
        weight[(offset > 6) & (offset <= 15)] *= 0.5  # slow restart until 元宵
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    weight[(month == 10) & (day_of_month <= 7)] *= 0.05  # National Day golden week
    weight[(month == 5) & (day_of_month <= 5)] *= 0.2  # Labour Day
    weight[month_day == 0] *= 0.1  # New Year's Day
    return weight


def make_window(today: dt.date, years: int) -> Window:
    start = years_before(today, years) + dt.timedelta(days=1)
    first = np.datetime64(start, "D")
    days = np.arange(first, np.datetime64(today, "D") + 1, dtype="datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    weight = WEEKDAY_WEIGHT[weekday] * holiday_weight(days)
    cumulative = np.concatenate([[0.0], np.cumsum(weight)])
    month_of_day = days.astype("datetime64[M]").astype(np.int64)
    month_ids, month_start = np.unique(month_of_day, return_index=True)
    month_end = np.append(month_start[1:], days.size)
    month_number = month_ids % 12 + 1
    # A full month holds about 30.4 days of about 0.75 average weight.
    in_month = cumulative[month_end] - cumulative[month_start]
    season = MONTH_SEASON[month_number - 1] * in_month / (30.44 * 5.33 / 7)
    return Window(
        start=start,
        end=today,
        first_day=int(first.astype(np.int64)),
        day_weight=weight,
        cumulative_weight=cumulative,
        day_month=np.repeat(np.arange(month_ids.size), month_end - month_start).astype(np.int64),
        month_start_day=month_start.astype(np.int64),
        month_end_day=month_end.astype(np.int64),
        month_year=(month_ids // 12 + 1970).astype(np.int64),
        month_number=month_number.astype(np.int64),
        month_weight=season,
    )
