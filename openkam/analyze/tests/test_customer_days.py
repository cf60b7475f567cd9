"""The customer-days added up with numpy equal a polars group-by of the same lines (to the last
digits of a sum: numpy adds a day's lines in the file's order, polars' hash group-by in the order
of its partitions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from openkam.analyze import pipeline, reading
from openkam.analyze.tests.helpers import analyze_json, write_csv


def _lines(rng: np.random.Generator, n: int, *, quantity: bool) -> pl.DataFrame:
    day = rng.integers(-400, 400, n)  # dates on both sides of 1970-01-01
    columns = {
        "code": pl.Series(rng.integers(0, 50, n), dtype=pl.UInt32),
        "date": pl.Series(day.astype(np.int32)).cast(pl.Date),
        "amount": np.round(rng.normal(50.0, 80.0, n), 2),  # some days add up to a return
        "cost": pl.Series(np.round(rng.uniform(0, 40, n), 2)).set(
            pl.Series(rng.random(n) < 0.2), None
        ),
    }
    if quantity:
        columns["quantity"] = pl.Series(rng.integers(1, 9, n).astype(float)).set(
            pl.Series(rng.random(n) < 0.3), None
        )
    return pl.DataFrame(columns)


def _grouped(rows: pl.DataFrame) -> pl.DataFrame:
    quantity = pl.col("quantity").sum() if "quantity" in rows.columns else pl.lit(None)
    return (
        rows.group_by("code", "date", maintain_order=True)
        .agg(
            amount=pl.col("amount").sum(),
            cost=pl.col("cost").sum(),
            quantity=quantity.cast(pl.Float64),
            lines=pl.len(),
        )
        .with_columns(purchase=pl.col("amount") >= 0)
        .sort("code", "date")
    )


@pytest.mark.parametrize("quantity", [True, False])
@pytest.mark.parametrize("shuffled", [True, False])
def test_customer_days_equal_a_group_by(quantity: bool, shuffled: bool) -> None:
    rows = _lines(np.random.default_rng(7), 5_000, quantity=quantity)
    if not shuffled:
        rows = rows.sort("code", "date", maintain_order=True)
    days = pipeline._customer_days(rows)
    expected = _grouped(rows)
    assert days.height < rows.height  # days with several lines were added up
    assert days.filter(~pl.col("purchase")).height > 0
    assert_frame_equal(days, expected, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)


def test_customer_days_of_a_hand_made_ledger() -> None:
    day = dt.date(2024, 3, 1)
    rows = pl.DataFrame(
        {
            "code": pl.Series([1, 0, 1, 0, 1], dtype=pl.UInt32),
            "date": [day, day, day, day + dt.timedelta(days=1), day],
            "amount": [10.0, 5.0, -30.0, 7.5, 2.5],
            "cost": [None, 1.0, None, 2.0, 1.5],
        }
    )
    days = pipeline._customer_days(rows)
    assert days.rows() == [
        (0, day, 5.0, 1.0, None, 1, True),
        (0, day + dt.timedelta(days=1), 7.5, 2.0, None, 1, True),
        (1, day, -17.5, 1.5, None, 3, False),
    ]


def _grouped_totals(days: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    year_ago = as_of - dt.timedelta(days=pipeline.TRAILING_YEAR_DAYS)
    month = pl.col("date").dt.year() * 12 + pl.col("date").dt.month()
    as_of_month = as_of.year * 12 + as_of.month
    date, amount, purchase = pl.col("date"), pl.col("amount"), pl.col("purchase")
    return (
        days.group_by("code")
        .agg(
            revenue=amount.sum(),
            cost=pl.col("cost").sum(),
            quantity=pl.col("quantity").sum(),
            lines=pl.col("lines").sum(),
            purchase_days=purchase.sum(),
            first_purchase=date.filter(purchase).min(),
            last_purchase=date.filter(purchase).max(),
            revenue_12m=amount.filter(date > year_ago).sum(),
            active_months_12m=month.filter(purchase & (month > as_of_month - 12)).n_unique(),
        )
        .sort("code")
    )


@pytest.mark.parametrize("quantity", [True, False])
def test_customer_totals_equal_a_group_by(quantity: bool) -> None:
    rows = _lines(np.random.default_rng(11), 5_000, quantity=quantity)
    as_of = dt.date(1970, 9, 30)
    days = pipeline._customer_days(rows).filter(pl.col("date") <= as_of)
    # One customer whose every day is a return: no first or last purchase, no active month.
    days = days.with_columns(
        purchase=pl.when(pl.col("code") == 3).then(False).otherwise(pl.col("purchase"))
    )
    totals = pipeline._totals(days, as_of, 50)
    expected = _grouped_totals(days, as_of)
    assert totals.row(3)[5:8] == (0, None, None)
    assert totals["active_months_12m"].max() == 12
    assert_frame_equal(totals, expected, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)


def test_customer_totals_refuse_a_customer_without_a_day() -> None:
    rows = _lines(np.random.default_rng(3), 200, quantity=False)
    days = pipeline._customer_days(rows.filter(pl.col("code") != 7))
    with pytest.raises(AssertionError, match="out of step"):
        pipeline._totals(days, dt.date(1971, 12, 31), 50)


def test_transactions_without_rows_keep_their_counts_and_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "lines.csv",
        "客户编码,日期,金额,成本\nA,2024-01-02,100,60\nB,2024-01-03,x,1\nA,2024-02-01,50,\n,,,\n",
    )
    data = reading.read_transactions(path)
    kept = data.without_rows()
    assert (data.rows_used, data.rows_read, data.blank_rows, data.rows_rejected) == (2, 3, 1, 1)
    assert kept.frame.height == 0
    assert kept.frame.schema == data.frame.schema
    assert (kept.rows_used, kept.rows_read, kept.blank_rows, kept.rows_rejected) == (2, 3, 1, 1)
    assert kept.has_cost
    assert not kept.has_quantity


def test_the_command_reports_the_rows_used_after_letting_them_go(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "lines.csv",
        "客户编码,日期,金额\n"
        + "".join(f"C{k % 7},2024-{1 + k % 12:02d}-{1 + k % 27:02d},{10 + k}\n" for k in range(60))
        + "C1,not a date,5\n",
    )
    document = analyze_json(str(path), "--language", "en")
    assert (document["input"]["rows_read"], document["input"]["rows_used"]) == (61, 60)
    assert document["input"]["rows_rejected"] == 1
