"""Transaction log -> the sufficient statistics of the purchase and spend models.

For each customer: frequency ``x`` (repeat transactions), recency ``t_x`` (time of the last
repeat transaction, measured from the first purchase), age ``T`` (time from the first purchase to
the end of the calibration period), the mean spend of the repeat transactions, and optionally the
number of transactions in a holdout period. The names follow the papers (Fader, Hardie & Lee
2005, "Counting Your Customers the Easy Way", section 2), so formulas can be read side by side.

Conventions, all as in Fader, Hardie & Lee's CDNOW analyses:

- purchases by one customer on one calendar day count as one transaction (so ``x`` = number of
  distinct purchase days after the first one), and a day's amounts count together;
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
    first_spend: NDArray[np.float64]  # spend on the first purchase day (not in monetary_value)
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

    kept = days <= obs_end
    unique_ids, codes = _customer_codes(ids[kept])
    days, spend = days[kept], spend[kept]
    per_day = _purchase_days(codes, days, cal_end)
    cohort = per_day.first_day <= cal_end
    first_day = per_day.first_day[cohort]
    x = per_day.n_calibration_days[cohort] - 1
    # Repeat transactions: in calibration, after the customer's first purchase day (FH 2013).
    repeat = (days <= cal_end) & (days > per_day.first_day[codes])
    repeat_spend = np.bincount(codes[repeat], weights=spend[repeat], minlength=len(unique_ids))
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(x > 0, repeat_spend[cohort] / x, 0.0)
    first = days == per_day.first_day[codes]
    first_spend = np.bincount(codes[first], weights=spend[first], minlength=len(unique_ids))
    holdout: NDArray[np.int64] | None = None
    if observation_end is not None:
        holdout = (per_day.n_days - per_day.n_calibration_days)[cohort]
    return RFMSummary(
        customer_ids=unique_ids[cohort],
        x=x.astype(np.int64),
        t_x=(per_day.last_calibration_day[cohort] - first_day) / unit_days,
        T=(cal_end - first_day) / unit_days,
        monetary_value=monetary,
        first_spend=first_spend[cohort].astype(np.float64),
        n_transactions_holdout=holdout,
        holdout_length=None if observation_end is None else (obs_end - cal_end) / unit_days,
        time_unit=time_unit,
    )


@dataclass(frozen=True)
class _PurchaseDays:
    """Per customer code: first purchase day, number of distinct purchase days (in all, and up
    to the calibration end), and the last purchase day up to the calibration end."""

    first_day: NDArray[np.int64]
    n_days: NDArray[np.int64]
    n_calibration_days: NDArray[np.int64]
    last_calibration_day: NDArray[np.int64]


def _customer_codes(ids: NDArray[np.generic]) -> tuple[NDArray[np.generic], NDArray[np.intp]]:
    """Distinct ids (sorted) and each row's position among them.

    Integer ids take a plain sort and a binary search (or nothing, when they already are codes
    0..n-1): numpy's unique with return_inverse argsorts, measured 5x slower on 10M rows.
    """
    if ids.dtype.kind in "iu":
        ordered = ids if bool(np.all(np.greater_equal(ids[1:], ids[:-1]))) else np.sort(ids)
        keep = np.ones(len(ordered), dtype=bool)
        keep[1:] = ordered[1:] != ordered[:-1]
        values = ordered[keep]
        if len(values) and values[0] == 0 and values[-1] == len(values) - 1:
            return values, ids.astype(np.intp)
        return values, np.searchsorted(values, ids)
    values, codes = np.unique(ids, return_inverse=True)
    return values, codes.reshape(-1)


def _purchase_days(codes: NDArray[np.intp], days: NDArray[np.int64], cal_end: int) -> _PurchaseDays:
    """Same-day purchases count once (FHL 2005): one sort of a (customer, day) integer key gives
    the distinct purchase days, customer by customer, in date order."""
    if not len(days):
        empty = np.zeros(0, dtype=np.int64)
        return _PurchaseDays(empty, empty, empty, empty)
    origin = int(days.min())
    span = int(days.max()) - origin + 1
    key = codes.astype(np.int64) * span + (days - origin)
    if not np.all(key[1:] >= key[:-1]):  # rows by customer and date need no sort
        key = np.sort(key)
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = key[1:] != key[:-1]
    key = key[distinct]
    customer, day = np.divmod(key, span)
    day += origin
    new_customer = np.ones(len(key), dtype=bool)
    new_customer[1:] = customer[1:] != customer[:-1]
    starts = np.flatnonzero(new_customer)  # one per code: every code has a purchase day
    n_calibration = np.add.reduceat((day <= cal_end).astype(np.int64), starts)
    # Days are sorted within a customer: the calibration days come first.
    last_calibration = day[starts + np.maximum(n_calibration, 1) - 1]
    return _PurchaseDays(
        first_day=day[starts],
        n_days=np.diff(np.append(starts, len(key))),
        n_calibration_days=n_calibration,
        last_calibration_day=last_calibration,
    )


def _day_number(value: DateLike) -> int:
    return int(np.asarray(value, dtype="datetime64[D]").astype(np.int64))


def _check_same_length(*arrays: NDArray[np.generic]) -> None:
    lengths = {a.shape for a in arrays}
    if len(lengths) != 1 or any(a.ndim != 1 for a in arrays):
        raise ValueError("customer_ids, dates and amounts must be 1-D arrays of the same length")
