"""Transaction log -> the sufficient statistics of the purchase and spend models.

For each customer: frequency ``x`` (repeat transactions), recency ``t_x`` (time of the last
repeat transaction, measured from the first purchase), age ``T`` (time from the first purchase to
the end of the calibration period), the mean spend of the repeat transactions, and optionally the
number of transactions in a holdout period. The names follow the papers (Fader, Hardie & Lee
2005, "Counting Your Customers the Easy Way", section 2), so formulas can be read side by side.

Conventions, all as in Fader, Hardie & Lee's CDNOW analyses:

- purchases by one customer on one calendar day count as one transaction, their amounts summed
  (so ``x`` = number of distinct purchase days after the first one);
- the first purchase starts the clock and is not a repeat transaction; its amount is left out of
  ``monetary_value`` (the Gamma-Gamma model is fitted on repeat spend, Fader & Hardie 2013 note);
- the calibration end day is included in the calibration period, the observation end day in the
  holdout period;
- customers whose first purchase falls after the calibration end are not in the calibration
  cohort and are dropped; transactions after the observation end are ignored.

Time units are fixed lengths of days, not calendar months, so that t_x and T stay exact
multiples of one day and ages are comparable across customers whatever day of the month they
joined: ``day`` = 1, ``week`` = 7, ``month`` = 30.4375 (= 365.25 / 12, the mean Gregorian month),
``year`` = 365.25 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

TimeUnit = Literal["day", "week", "month", "year"]

DAYS_PER_UNIT: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}

DateLike = np.datetime64 | dt.date | str


@dataclass(frozen=True)
class RFMSummary:
    """Per-customer sufficient statistics, one row per customer, sorted by customer id.

    ``monetary_value`` is 0.0 for customers without repeat transactions (there is no repeat spend
    to average); ``n_transactions_holdout`` is None when no observation end was given.
    """

    customer_ids: NDArray[np.generic]
    x: NDArray[np.int64]
    t_x: NDArray[np.float64]
    T: NDArray[np.float64]
    monetary_value: NDArray[np.float64]
    n_transactions_holdout: NDArray[np.int64] | None
    holdout_length: float | None
    time_unit: str


def days_per_unit(time_unit: str) -> float:
    """Length of one model time unit in days; raises ValueError for an unknown unit."""
    try:
        return DAYS_PER_UNIT[time_unit]
    except KeyError:
        known = ", ".join(DAYS_PER_UNIT)
        raise ValueError(f"unknown time unit {time_unit!r}; use one of {known}") from None


def rfm_summary(
    customer_ids: ArrayLike,
    dates: ArrayLike,
    amounts: ArrayLike | None = None,
    *,
    calibration_end: DateLike,
    observation_end: DateLike | None = None,
    time_unit: TimeUnit = "week",
) -> RFMSummary:
    """Summarise a transaction log (one row per order or order line) per customer.

    ``customer_ids`` may hold any sortable values (keep text ids as text: leading zeros matter);
    ``dates`` anything numpy reads as ``datetime64[D]``; ``amounts`` defaults to zeros.
    """
    unit_days = days_per_unit(time_unit)
    ids = np.asarray(customer_ids)
    days = np.asarray(dates, dtype="datetime64[D]").astype(np.int64)
    spend = np.zeros(len(days)) if amounts is None else np.asarray(amounts, dtype=np.float64)
    _check_same_length(ids, days, spend)
    cal_end = _day_number(calibration_end)
    obs_end = cal_end if observation_end is None else _day_number(observation_end)
    if obs_end < cal_end:
        raise ValueError("observation_end must not be before calibration_end")

    unique_ids, codes = np.unique(ids, return_inverse=True)
    kept = days <= obs_end
    code_per_day, day, day_spend = _collapse_same_day(codes[kept], days[kept], spend[kept])
    first_of_customer = np.ones(len(day), dtype=bool)
    first_of_customer[1:] = code_per_day[1:] != code_per_day[:-1]
    starts = np.flatnonzero(first_of_customer)
    customer_code = code_per_day[starts]
    first_day = day[starts]
    n_days = np.diff(np.append(starts, len(day)))

    in_calibration = day <= cal_end
    n_cal_days = np.add.reduceat(in_calibration.astype(np.int64), starts) if len(day) else n_days
    cohort = first_day <= cal_end
    # Days are sorted within a customer, so the calibration days come first and the last one
    # sits at start + n_cal_days - 1.
    last_cal_day = day[starts[cohort] + n_cal_days[cohort] - 1]
    x = n_cal_days[cohort] - 1
    repeat_spend = _repeat_calibration_spend(day_spend, in_calibration, first_of_customer, starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(x > 0, repeat_spend[cohort] / x, 0.0)

    holdout: NDArray[np.int64] | None = None
    if observation_end is not None:
        holdout = (n_days - n_cal_days)[cohort]
    return RFMSummary(
        customer_ids=unique_ids[customer_code[cohort]],
        x=x.astype(np.int64),
        t_x=(last_cal_day - first_day[cohort]) / unit_days,
        T=(cal_end - first_day[cohort]) / unit_days,
        monetary_value=monetary,
        n_transactions_holdout=holdout,
        holdout_length=None if observation_end is None else (obs_end - cal_end) / unit_days,
        time_unit=time_unit,
    )


def _day_number(value: DateLike) -> int:
    return int(np.asarray(value, dtype="datetime64[D]").astype(np.int64))


def _check_same_length(*arrays: NDArray[np.generic]) -> None:
    lengths = {a.shape for a in arrays}
    if len(lengths) != 1 or any(a.ndim != 1 for a in arrays):
        raise ValueError("customer_ids, dates and amounts must be 1-D arrays of the same length")


def _collapse_same_day(
    codes: NDArray[np.intp], days: NDArray[np.int64], spend: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.int64], NDArray[np.float64]]:
    """One row per (customer, day), sorted by customer then day, amounts summed (FHL 2005)."""
    order = np.lexsort((days, codes))
    codes, days, spend = codes[order], days[order], spend[order]
    new_day = np.ones(len(days), dtype=bool)
    new_day[1:] = (codes[1:] != codes[:-1]) | (days[1:] != days[:-1])
    starts = np.flatnonzero(new_day)
    summed = np.add.reduceat(spend, starts) if len(starts) else spend[:0]
    return codes[starts], days[starts], summed


def _repeat_calibration_spend(
    day_spend: NDArray[np.float64],
    in_calibration: NDArray[np.bool_],
    first_of_customer: NDArray[np.bool_],
    starts: NDArray[np.intp],
) -> NDArray[np.float64]:
    repeat = in_calibration & ~first_of_customer
    if not len(starts):
        return day_spend[:0]
    return np.add.reduceat(np.where(repeat, day_spend, 0.0), starts)
