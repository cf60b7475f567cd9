"""The analysis as an XLSX workbook: one sheet per analysis (xlsxwriter).

Sheets: summary, customers (one row per customer, every figure), models, pareto, tiers,
loyalty, churn, holdout (when there is one) and rejected. Headings are in the active language;
the sheet names stay the same in every language so that formulas and scripts can rely on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from openkam.analyze import labels
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult
from openkam.analyze.summary import summary_rows

SHEETS = ("summary", "customers", "models", "pareto", "tiers", "loyalty", "churn", "holdout")
EXCEL_MAX_ROWS = 1_048_576
EXCEL_DAY_OF_1970 = 25569  # Excel's serial day number of 1970-01-01 (day 0 of datetime64)
SHARE_COLUMNS = frozenset(
    {
        "margin_rate", "revenue_share", "cumulative_revenue_share", "profit_share",
        "cumulative_profit_share", "repeat_rate", "trailing_change",
    }
)  # fmt: skip
MONEY_COLUMNS = frozenset(
    {
        "revenue", "cost", "profit", "monetary_value", "expected_spend", "clv",
        "holdout_revenue", "revenue_12m", "tier_measure",
    }
)  # fmt: skip
INTEGER_COLUMNS = frozenset(
    {"order_lines", "purchase_days", "revenue_rank", "profit_rank", "churn_points", "x"}
)


class Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.heading = book.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True})
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.share = book.add_format({"num_format": "0.0%"})
        self.integer = book.add_format({"num_format": "#,##0"})
        self.decimal = book.add_format({"num_format": "0.000"})

    def for_column(self, key: str) -> Format:
        if key in SHARE_COLUMNS:
            return self.share
        if key in MONEY_COLUMNS:
            return self.money
        if key in INTEGER_COLUMNS:
            return self.integer
        return self.decimal


def write_workbook(path: Path, data: Transactions, result: AnalysisResult) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_urls": False})
    formats = Formats(book)
    _summary(book.add_worksheet("summary"), formats, data, result)
    customers = result.customers
    _table(book.add_worksheet("customers"), formats, customers, list(customers))
    _models(book.add_worksheet("models"), formats, result)
    _ranked(book, formats, "pareto", result, _pareto_keys(result), "revenue_rank", descending=False)
    _ranked(book, formats, "tiers", result, ["customer_id", "revenue_12m", "tier_measure", "tier"],
            "tier_measure")  # fmt: skip
    _table(book.add_worksheet("loyalty"), formats, customers, [
        "customer_id", "purchase_days", "mean_gap_days", "gap_cv", "active_months_12m",
        "repeat_rate", "repeat_axis",
    ])  # fmt: skip
    _ranked(book, formats, "churn", result, [
        "customer_id", "churn_level", "churn_points", "churn_reasons", "p_alive",
        "days_since_last", "usual_gap_days", "trailing_change", "revenue",
    ], "churn_points")  # fmt: skip
    if result.holdout is not None:
        _holdout(book.add_worksheet("holdout"), formats, result)
    _rejected(book.add_worksheet("rejected"), formats, data)
    book.close()


def _summary(
    sheet: Worksheet, formats: Formats, data: Transactions, result: AnalysisResult
) -> None:
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 60)
    row = 0
    for section, rows in summary_rows(data, result):
        sheet.write_string(row, 0, section, formats.title)
        row += 1
        for label, value in rows:
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 1, value)
            row += 1
        row += 1


def _table(
    sheet: Worksheet,
    formats: Formats,
    columns: dict[str, np.ndarray],
    keys: Sequence[str],
    order: np.ndarray | None = None,
) -> None:
    keys = [key for key in keys if key in columns]
    sheet.freeze_panes(1, 1)
    for j, key in enumerate(keys):
        values = columns[key] if order is None else columns[key][order]
        sheet.write_string(0, j, labels.column(key), formats.heading)
        sheet.set_column(j, j, 22 if key == "churn_reasons" else 14)
        _write_column(sheet, j, key, values[: EXCEL_MAX_ROWS - 1], formats)


def _write_column(sheet: Worksheet, j: int, key: str, values: np.ndarray, formats: Formats) -> None:
    """One column, with one writer chosen for all its cells (xlsxwriter costs some microseconds
    per cell: the dispatch is kept out of the loop)."""
    kind = values.dtype.kind
    if kind == "M":
        days = values.astype("datetime64[D]")
        serial = np.where(np.isnat(days), np.nan, days.astype(np.int64) + EXCEL_DAY_OF_1970)
        _write_numbers(sheet, j, serial.astype(float), formats.date)
    elif kind in "fiub":
        _write_numbers(sheet, j, values.astype(float), formats.for_column(key))
    else:
        _write_strings(sheet, j, _texts(key, values))


WORDED_COLUMNS: dict[str, Callable[[Any], str]] = {
    "tier": labels.tier,
    "churn_level": labels.churn_level,
    "churn_reasons": labels.churn_reasons,
}


def _texts(key: str, values: np.ndarray) -> list[str]:
    """Cell texts; codes (tiers, churn levels and reasons) worded once per distinct code."""
    word = WORDED_COLUMNS.get(key)
    cells = values.tolist()
    if word is None:
        return [str(cell) for cell in cells]
    worded: dict[Any, str] = {}
    return [worded.get(c) or worded.setdefault(c, word(c)) for c in cells]


def _write_numbers(sheet: Worksheet, j: int, values: np.ndarray, number_format: Format) -> None:
    finite = np.isfinite(values)
    write = sheet.write_number
    for i, value in zip(
        (np.flatnonzero(finite) + 1).tolist(), values[finite].tolist(), strict=True
    ):
        write(i, j, value, number_format)


def _write_strings(sheet: Worksheet, j: int, texts: list[str]) -> None:
    # write_string, not write(): "=..." would become a formula; "00042" stays text either way.
    write = sheet.write_string
    for i, text in enumerate(texts, start=1):
        if text:
            write(i, j, text)


def _ranked(
    book: xlsxwriter.Workbook,
    formats: Formats,
    name: str,
    result: AnalysisResult,
    keys: list[str],
    by: str,
    *,
    descending: bool = True,
) -> None:
    values = np.nan_to_num(np.asarray(result.customers[by], dtype=float), nan=-np.inf)
    order = np.argsort(-values if descending else values, kind="stable")
    _table(book.add_worksheet(name), formats, result.customers, keys, order)


def _pareto_keys(result: AnalysisResult) -> list[str]:
    keys = ["revenue_rank", "customer_id", "revenue", "revenue_share", "cumulative_revenue_share"]
    keys.append("abc_class")
    if result.has_cost:
        keys += ["profit", "profit_rank", "profit_share", "cumulative_profit_share"]
        keys.append("profit_abc_class")
    return keys


def _models(sheet: Worksheet, formats: Formats, result: AnalysisResult) -> None:
    headings = [
        _("model"), _("parameter"), _("estimate"), _("standard error"), _("log-likelihood"),
        _("customers"), _("iterations"), _("seconds"), _("error"),
    ]  # fmt: skip
    sheet.write_row(0, 0, headings, formats.heading)
    sheet.set_column(0, 8, 16)
    row = 1
    for name, report in result.models.items():
        entries = list(report.params.items()) or [("", float("nan"))]
        for parameter, estimate in entries:
            sheet.write_string(row, 0, labels.model(name))
            sheet.write_string(row, 1, labels.parameter(parameter))
            _number(sheet, row, 2, estimate, formats.decimal)
            _number(sheet, row, 3, report.standard_errors.get(parameter), formats.decimal)
            _number(sheet, row, 4, report.log_likelihood, formats.decimal)
            _number(sheet, row, 5, report.n_customers, formats.integer)
            _number(sheet, row, 6, report.n_iter, formats.integer)
            _number(sheet, row, 7, report.seconds, formats.decimal)
            sheet.write_string(row, 8, report.error or "")
            row += 1


def _number(sheet: Worksheet, row: int, col: int, value: float | None, fmt: Format) -> None:
    if value is not None and np.isfinite(value):
        sheet.write_number(row, col, float(value), fmt)


def _holdout(sheet: Worksheet, formats: Formats, result: AnalysisResult) -> None:
    holdout = result.holdout
    assert holdout is not None
    models = list(holdout.expected_total)
    sheet.set_column(0, 2 + len(models), 18)
    headings = [_("repeat purchases in calibration"), _("customers"), _("actual, mean")]
    headings += [_("expected, mean (%(model)s)") % {"model": labels.model(m)} for m in models]
    sheet.write_row(0, 0, headings, formats.heading)
    for i, group in enumerate(holdout.by_frequency, start=1):
        sheet.write_string(i, 0, group.label)
        sheet.write_number(i, 1, group.customers, formats.integer)
        _number(sheet, i, 2, group.actual_mean, formats.decimal)
        for j, m in enumerate(models, start=3):
            _number(sheet, i, j, group.expected_mean[m], formats.decimal)
    row = len(holdout.by_frequency) + 1
    sheet.write_string(row, 0, _("total"), formats.heading)
    _number(sheet, row, 2, holdout.actual_total, formats.decimal)
    for j, m in enumerate(models, start=3):
        _number(sheet, row, j, holdout.expected_total[m], formats.decimal)
    _tracking(sheet, formats, result, row + 2)


def _tracking(sheet: Worksheet, formats: Formats, result: AnalysisResult, top: int) -> None:
    holdout = result.holdout
    assert holdout is not None
    tracking = holdout.tracking
    headings = [_("date"), _("cumulative repeat purchases, actual")]
    headings += [
        _("cumulative repeat purchases, expected (%(model)s)") % {"model": labels.model(m)}
        for m in tracking.expected
    ]
    sheet.write_row(top, 0, headings, formats.heading)
    for i, day in enumerate(tracking.dates, start=top + 1):
        sheet.write_datetime(i, 0, dt.datetime.combine(day, dt.time()), formats.date)
        sheet.write_number(i, 1, float(tracking.actual[i - top - 1]), formats.decimal)
        for j, curve in enumerate(tracking.expected.values(), start=2):
            _number(sheet, i, j, float(curve[i - top - 1]), formats.decimal)


def _rejected(sheet: Worksheet, formats: Formats, data: Transactions) -> None:
    headings = [_("row"), _("column"), _("value"), _("reason")]
    sheet.write_row(0, 0, headings, formats.heading)
    sheet.set_column(0, 1, 12)
    sheet.set_column(2, 3, 40)
    rejected = data.rejected.head(EXCEL_MAX_ROWS - 1)
    for i, (row, column, value, reason) in enumerate(rejected.iter_rows(), start=1):
        sheet.write_number(i, 0, row, formats.integer)
        sheet.write_string(i, 1, column)
        sheet.write_string(i, 2, value)
        sheet.write_string(i, 3, labels.rejection_reason(reason))
