"""Rows that already come by customer and date skip the sorts in ``rfm_summary`` and
``purchase_regularity``: the figures are exactly those of the same rows in any other order."""

from __future__ import annotations

import numpy as np

from openkam.analytics.loyalty import purchase_regularity
from openkam.analytics.rfm import rfm_summary


def _rows(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 5_000
    code = np.sort(rng.integers(0, 700, n))
    day = np.datetime64("2024-01-01") + rng.integers(0, 400, n).astype("timedelta64[D]")
    order = np.lexsort((day, code))
    return code[order], day[order], rng.gamma(2.0, 50.0, n)


def test_regularity_of_sorted_rows_is_that_of_shuffled_rows() -> None:
    code, day, _amount = _rows(1)
    # Distinct purchase days per customer, as purchase_regularity expects.
    key = np.unique(code.astype(np.int64) * 10_000 + day.astype(np.int64), return_index=True)[1]
    code, day = code[key], day[key]
    shuffled = np.random.default_rng(2).permutation(len(code))
    in_order = purchase_regularity(code, day, 700)
    any_order = purchase_regularity(code[shuffled], day[shuffled], 700)
    assert np.array_equal(in_order.purchase_days, any_order.purchase_days)
    assert np.array_equal(in_order.mean_gap, any_order.mean_gap, equal_nan=True)
    assert np.array_equal(in_order.gap_cv, any_order.gap_cv, equal_nan=True)
    assert np.isfinite(in_order.gap_cv).sum() > 100
    # Out of order within one customer only: still sorted first.
    swapped = np.arange(len(code))
    first = int(np.flatnonzero(in_order.purchase_days[code] >= 3)[0])
    swapped[[first, first + 1]] = swapped[[first + 1, first]]
    again = purchase_regularity(code[swapped], day[swapped], 700)
    assert np.array_equal(again.gap_cv, in_order.gap_cv, equal_nan=True)


def test_rfm_summary_of_sorted_rows_is_that_of_shuffled_rows() -> None:
    code, day, amount = _rows(3)
    shuffled = np.random.default_rng(4).permutation(len(code))
    end = np.datetime64("2024-12-01")
    in_order = rfm_summary(code, day, amount, calibration_end=end, observation_end=day.max())
    any_order = rfm_summary(
        code[shuffled], day[shuffled], amount[shuffled], calibration_end=end,
        observation_end=day.max(),
    )  # fmt: skip
    for name in ("customer_ids", "x", "t_x", "T", "n_transactions_holdout"):
        assert np.array_equal(getattr(in_order, name), getattr(any_order, name)), name
    assert np.allclose(in_order.monetary_value, any_order.monetary_value, rtol=1e-12)
    assert in_order.x.sum() > 1000


def test_unsigned_codes_out_of_order_are_sorted() -> None:
    code, day, amount = _rows(5)
    shuffled = np.random.default_rng(6).permutation(len(code))
    end = np.datetime64("2024-12-01")
    signed = rfm_summary(code, day, amount, calibration_end=end)
    unsigned = rfm_summary(code[shuffled].astype(np.uint32), day[shuffled], amount[shuffled],
                           calibration_end=end)  # fmt: skip
    assert np.array_equal(signed.customer_ids, unsigned.customer_ids)
    assert np.array_equal(signed.x, unsigned.x)
    assert np.array_equal(signed.t_x, unsigned.t_x)
