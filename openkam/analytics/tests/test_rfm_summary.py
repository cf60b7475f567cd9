"""Transaction log -> (x, t_x, T, repeat spend, holdout counts), in Fader-Hardie conventions."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from openkam.analytics.rfm import DAYS_PER_UNIT, RFMSummary, TimeUnit, rfm_summary
from openkam.analytics.tests.cdnow_data import (
    CALIBRATION_END,
    OBSERVATION_END,
    cdnow_summary,
    cdnow_transactions,
)


def reference_summary(
    ids: list[str], days: list[int], amounts: list[float], cal_end: int, obs_end: int
) -> dict[str, tuple[int, float, float, float, int]]:
    """Plain-Python reference, one customer at a time, to check the vectorised code against."""
    per_customer: dict[str, dict[int, float]] = {}
    for customer, day, amount in zip(ids, days, amounts, strict=True):
        if day <= obs_end:
            spend = per_customer.setdefault(customer, {})
            spend[day] = spend.get(day, 0.0) + amount
    summary: dict[str, tuple[int, float, float, float, int]] = {}
    for customer, spend in per_customer.items():
        ordered = sorted(spend)
        first = ordered[0]
        if first > cal_end:
            continue
        calibration = [d for d in ordered if d <= cal_end]
        repeats = calibration[1:]
        mean_spend = sum(spend[d] for d in repeats) / len(repeats) if repeats else 0.0
        holdout = len(ordered) - len(calibration)
        summary[customer] = (
            len(repeats),
            calibration[-1] - first,
            cal_end - first,
            mean_spend,
            holdout,
        )
    return summary


def day_number(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


def test_cdnow_summary_matches_a_customer_by_customer_reference() -> None:
    data = cdnow_transactions()
    summary = cdnow_summary()
    expected = reference_summary(
        list(data.customer_ids),
        [int(d) for d in data.dates.astype(np.int64)],
        list(data.amounts),
        day_number(CALIBRATION_END),
        day_number(OBSERVATION_END),
    )
    assert list(summary.customer_ids) == sorted(expected)
    rows = [expected[c] for c in summary.customer_ids]
    assert summary.n_transactions_holdout is not None
    np.testing.assert_array_equal(summary.x, [row[0] for row in rows])
    np.testing.assert_allclose(summary.t_x * 7, [row[1] for row in rows], rtol=1e-15)
    np.testing.assert_allclose(summary.T * 7, [row[2] for row in rows], rtol=1e-15)
    np.testing.assert_allclose(summary.monetary_value, [row[3] for row in rows], rtol=1e-12)
    np.testing.assert_array_equal(summary.n_transactions_holdout, [row[4] for row in rows])


def test_cdnow_sample_has_2357_customers_of_whom_946_repeat_in_calibration() -> None:
    summary = cdnow_summary()
    assert len(summary.customer_ids) == 2357
    assert int(np.count_nonzero(summary.x > 0)) == 946
    assert summary.holdout_length == pytest.approx(39.0)


def test_cdnow_customer_00004_has_the_spreadsheets_first_row() -> None:
    # Row 1 of Fader-Hardie-Lee's BG/NBD spreadsheet: x = 2, t_x = 30.43, T = 38.86.
    summary = cdnow_summary()
    assert summary.customer_ids[0] == "00004"
    assert summary.x[0] == 2
    assert round(float(summary.t_x[0]), 2) == 30.43
    assert round(float(summary.T[0]), 2) == 38.86


def small_log() -> tuple[NDArray[np.str_], NDArray[np.datetime64], NDArray[np.float64]]:
    ids = np.array(["007", "007", "007", "007", "042", "042", "099"])
    dates = np.array(
        [
            "2024-01-01",
            "2024-01-01",
            "2024-01-08",
            "2024-01-22",
            "2024-01-15",
            "2024-02-20",
            "2024-02-10",
        ],
        dtype="datetime64[D]",
    )
    amounts = np.array([10.0, 5.0, 20.0, 40.0, 7.0, 9.0, 3.0])
    return ids, dates, amounts


def test_same_day_purchases_count_once_with_their_amounts_summed() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit="day")
    assert list(summary.customer_ids) == ["007", "042"]
    assert list(summary.x) == [2, 0]
    assert list(summary.t_x) == [21.0, 0.0]
    assert list(summary.T) == [30.0, 16.0]


def test_monetary_value_averages_repeat_transactions_only() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit="day")
    # The 15.00 first-day purchase (10 + 5) is left out: (20 + 40) / 2.
    assert summary.monetary_value[0] == pytest.approx(30.0)
    assert summary.monetary_value[1] == 0.0


def test_first_spend_is_the_first_purchase_days_total_kept_apart() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit="day")
    assert summary.first_spend[0] == pytest.approx(15.0)  # 10 + 5 on the first day
    assert summary.first_spend[1] > 0


def test_holdout_counts_purchase_days_after_calibration_up_to_observation_end() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(
        ids,
        dates,
        amounts,
        calibration_end="2024-01-31",
        observation_end="2024-02-15",
        time_unit="day",
    )
    assert summary.n_transactions_holdout is not None
    assert list(summary.n_transactions_holdout) == [0, 0]  # 2024-02-20 falls after the end
    assert summary.holdout_length == 15.0


def test_customers_who_first_buy_after_calibration_are_not_in_the_cohort() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(
        ids, dates, amounts, calibration_end="2024-01-31", observation_end="2024-03-31"
    )
    assert "099" not in summary.customer_ids


def test_without_observation_end_there_are_no_holdout_counts() -> None:
    ids, dates, amounts = small_log()
    summary = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31")
    assert summary.n_transactions_holdout is None
    assert summary.holdout_length is None


@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
def test_time_units_are_fixed_numbers_of_days(unit: TimeUnit) -> None:
    ids, dates, amounts = small_log()
    in_days = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit="day")
    summary = rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit=unit)
    np.testing.assert_allclose(summary.T * DAYS_PER_UNIT[unit], in_days.T)
    np.testing.assert_allclose(summary.t_x * DAYS_PER_UNIT[unit], in_days.t_x)


def test_an_unknown_time_unit_is_refused() -> None:
    ids, dates, amounts = small_log()
    with pytest.raises(ValueError, match="unknown time unit"):
        rfm_summary(ids, dates, amounts, calibration_end="2024-01-31", time_unit="fortnight")  # type: ignore[arg-type]


def test_an_empty_log_gives_an_empty_summary() -> None:
    empty = np.array([], dtype=str)
    summary = rfm_summary(empty, np.array([], dtype="datetime64[D]"), calibration_end="2024-01-31")
    assert len(summary.customer_ids) == len(summary.x) == len(summary.T) == 0


transaction_logs = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 200), st.floats(0.0, 1000.0)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(transaction_logs, st.integers(0, 200), st.integers(0, 100))
def test_frequency_recency_and_age_are_consistent_with_the_log(
    log: list[tuple[int, int, float]], calibration_day: int, holdout_days: int
) -> None:
    customers = np.array([c for c, _, _ in log])
    days = np.array([d for _, d, _ in log])
    dates = np.datetime64("2020-01-01", "D") + days
    cal_end = np.datetime64("2020-01-01", "D") + calibration_day
    summary = rfm_summary(
        customers,
        dates,
        np.array([a for _, _, a in log]),
        calibration_end=cal_end,
        observation_end=cal_end + holdout_days,
        time_unit="day",
    )
    assert summary.n_transactions_holdout is not None
    for i, customer in enumerate(summary.customer_ids):
        own_days = set(days[customers == customer].tolist())
        distinct_in_calibration = len({d for d in own_days if d <= calibration_day})
        assert summary.x[i] <= len(own_days) - 1
        assert summary.x[i] == distinct_in_calibration - 1
        assert 0.0 <= summary.t_x[i] <= summary.T[i]
        assert summary.x[i] + summary.n_transactions_holdout[i] <= len(own_days) - 1
        assert summary.monetary_value[i] >= 0.0


@settings(max_examples=100, deadline=None)
@given(transaction_logs, st.randoms(use_true_random=False))
def test_the_order_of_the_log_does_not_matter(
    log: list[tuple[int, int, float]], shuffler: random.Random
) -> None:
    shuffled = list(log)
    shuffler.shuffle(shuffled)

    def summarise(rows: list[tuple[int, int, float]]) -> RFMSummary:
        return rfm_summary(
            np.array([c for c, _, _ in rows]),
            np.datetime64("2020-01-01", "D") + np.array([d for _, d, _ in rows]),
            np.array([a for _, _, a in rows]),
            calibration_end="2020-05-01",
            time_unit="week",
        )

    first, second = summarise(log), summarise(shuffled)
    np.testing.assert_array_equal(first.customer_ids, second.customer_ids)
    np.testing.assert_array_equal(first.x, second.x)
    np.testing.assert_array_equal(first.t_x, second.t_x)
    np.testing.assert_allclose(first.monetary_value, second.monetary_value, rtol=1e-12)
