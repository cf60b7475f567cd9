"""The analysis as an XLSX workbook: one sheet per analysis (xlsxwriter).

Sheets: summary, customers (one row per customer, every figure), models, pareto, tiers,
loyalty, churn, holdout (when there is one) and rejected. Headings are in the active language;
the sheet names stay the same in every language so that formulas and scripts can rely on them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from openkam.analyze import labels
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult
from openkam.analyze.summary import summary_rows

SHEETS = ("summary", "customers", "models", "pareto", "tiers", "loyalty", "churn", "holdout")
# The sheets' names in the reader's language (a sheet name holds at most 31 characters).
SHEET_TITLES = {
    "summary": gettext_lazy("Summary"),
    "customers": gettext_lazy("Customers"),
    "models": gettext_lazy("Models"),
    "pareto": gettext_lazy("Pareto"),
    "tiers": gettext_lazy("Tiers"),
    "loyalty": gettext_lazy("Loyalty"),
    "churn": gettext_lazy("Churn risk"),
    "holdout": gettext_lazy("Holdout test"),
    "rejected": gettext_lazy("Rejected rows"),
}


def sheet_title(name: str) -> str:
    """The name of one of the workbook's sheets (SHEET_TITLES' keys) in the active language."""
    return str(SHEET_TITLES[name])[:31]


EXCEL_MAX_ROWS = 1_048_576
SHEET_ROWS = EXCEL_MAX_ROWS - 1  # most customers on the customers sheet (a row for the headings)
# Customers on the customers sheet by default: beyond them the sheet holds those of largest CLV
# and every customer goes to TABLE_NAME (a sheet row costs about 25 times a CSV line to write).
DEFAULT_SHEET_ROWS = 10_000
RANKED_ROWS = 1_000  # customers on the pareto, tiers, loyalty and churn sheets
TABLE_NAME = "customers.csv"  # the full customer table, beside the workbook, when it is larger
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


def write_workbook(
    path: Path, data: Transactions, result: AnalysisResult, *, sheet_rows: int = DEFAULT_SHEET_ROWS
) -> bool:
    """Writes the workbook; True when the customers sheet holds every customer, False when it
    holds the ``sheet_rows`` customers of largest CLV only (the caller writes the full table
    beside it: ``table.write_customers``)."""
    book = _Workbook(str(path), {"strings_to_urls": False})
    formats = Formats(book)
    customers = result.customers
    complete = len(customers["customer_id"]) <= sheet_rows
    order = None if complete else top_positions(result, "clv", sheet_rows)
    partial = None if complete else partial_sheet_text(result, sheet_rows)
    _summary(book.add_worksheet(sheet_title("summary")), formats, data, result, partial)
    _table(
        _table_sheet(book, sheet_title("customers")),
        formats,
        customers,
        sheet_columns(result),
        order,
    )
    _models(book.add_worksheet(sheet_title("models")), formats, result)
    _ranked(book, formats, "pareto", result, _pareto_keys(result), "revenue_rank", descending=False)
    _ranked(book, formats, "tiers", result, ["customer_id", "revenue_12m", "tier_measure", "tier"],
            "tier_measure")  # fmt: skip
    _ranked(book, formats, "loyalty", result, [
        "customer_id", "purchase_days", "mean_gap_days", "gap_cv", "active_months_12m",
        "repeat_rate", "repeat_axis",
    ], "purchase_days")  # fmt: skip
    _ranked(book, formats, "churn", result, [
        "customer_id", "churn_level", "churn_points", "churn_reasons", "p_alive",
        "days_since_last", "usual_gap_days", "trailing_change", "revenue",
    ], "churn_points")  # fmt: skip
    if result.holdout is not None:
        _holdout(book.add_worksheet(sheet_title("holdout")), formats, result)
    _rejected(book.add_worksheet(sheet_title("rejected")), formats, data)
    book.close()
    return complete


def sheet_columns(result: AnalysisResult) -> list[str]:
    """The customer columns of the workbook and the customer table: all but the primary
    model's own copies of P(alive) and expected purchases (the unsuffixed columns are they)."""
    primary = result.primary_model
    copies = {f"{key}_{primary}" for key in PRIMARY_COPIES} if primary else set()
    return [key for key in result.customers if key not in copies]


PRIMARY_COPIES = ("p_alive", "expected_purchases", "expected_holdout_purchases")


def top_positions(
    result: AnalysisResult, by: str, limit: int, *, descending: bool = True
) -> np.ndarray:
    """Positions of the ``limit`` customers first by a column (NaN last), in that order."""
    values = np.asarray(result.customers[by], dtype=float)
    key = np.where(np.isnan(values), np.inf, -values if descending else values)
    if limit < len(key):
        part = np.argpartition(key, limit - 1)[:limit]
        # Ties at the cut are broken by position, as a full stable sort would.
        cut = key[part].max()
        below = np.flatnonzero(key < cut)
        tied = np.flatnonzero(key == cut)[: limit - len(below)]
        chosen = np.concatenate([below, tied])
        return chosen[np.argsort(key[chosen], kind="stable")]
    return np.argsort(key, kind="stable")


class _Workbook(xlsxwriter.Workbook):
    """xlsxwriter's workbook, zipped at zlib level 1: 3 to 4 times faster to write than the
    default level 6 on the customer tables, for a file about a tenth larger."""

    def _store_workbook(self) -> None:
        original = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = functools.partial(original, compresslevel=1)
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZipFile = original


def _table_sheet(book: xlsxwriter.Workbook, name: str) -> TableSheet:
    sheet = book.add_worksheet(name, worksheet_class=TableSheet)
    assert isinstance(sheet, TableSheet)
    return sheet


def partial_sheet_text(result: AnalysisResult, sheet_rows: int) -> str:
    """What a reader of the workbook must know when its customers sheet is not every customer."""
    return _(
        "The customers sheet holds the %(shown)s customers of largest customer lifetime value; "
        "all %(total)s customers are in %(table)s beside the workbook."
    ) % {
        "shown": f"{sheet_rows:,}",
        "total": f"{len(result.customers['customer_id']):,}",
        "table": TABLE_NAME,
    }


def _summary(
    sheet: Worksheet,
    formats: Formats,
    data: Transactions,
    result: AnalysisResult,
    partial: str | None,
) -> None:
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 60)
    row = 0
    sections = summary_rows(data, result)
    if partial is not None:
        sections.insert(0, (_("Customer table"), [("", partial)]))
    for section, rows in sections:
        sheet.write_string(row, 0, section, formats.title)
        row += 1
        for label, value in rows:
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 1, value)
            row += 1
        row += 1


def _table(
    sheet: TableSheet,
    formats: Formats,
    columns: dict[str, np.ndarray],
    keys: Sequence[str],
    order: np.ndarray | None = None,
) -> None:
    """Headings in row 1, one row per customer below (in ``order``, or as they are)."""
    keys = [key for key in keys if key in columns]
    sheet.freeze_panes(1, 1)
    if order is None:
        order = np.arange(len(columns[keys[0]]) if keys else 0)
    order = order[: EXCEL_MAX_ROWS - 1]
    cells: list[TableColumn] = []
    for j, key in enumerate(keys):
        sheet.write_string(0, j, labels.column(key), formats.heading)
        sheet.set_column(j, j, 22 if key == "churn_reasons" else 14)
        cells.append(_cells(sheet, key, columns[key], order, formats))
    sheet.put_table(cells, len(order))


@dataclass(frozen=True)
class TableColumn:
    """One column of a table sheet: its cells' values, and the XML around each value."""

    values: pl.Series  # numbers, shared-string indices or text; null or not finite: blank
    head: str  # after the cell's reference: its style or type, up to the value
    tail: str
    text: bool = False  # inline text, escaped for XML when the rows are written
    # The rows' positions in ``values`` (numbers are not copied into the table's order: each
    # block of rows is gathered as it is written); None: ``values`` are in the table's order.
    order: pl.Series | None = None

    def block(self, start: int, length: int) -> pl.Series:
        if self.order is None:
            return self.values.slice(start, length)
        return self.values.gather(self.order.slice(start, length))


def _cells(
    sheet: TableSheet, key: str, values: np.ndarray, order: np.ndarray, formats: Formats
) -> TableColumn:
    """A column's cells in ``order`` as xlsxwriter would write them: numbers with the column's
    format, dates as Excel serial days, codes worded, texts shared when they repeat, blank when
    not finite or empty."""
    kind = values.dtype.kind
    positions: pl.Series | None = pl.Series(order, dtype=pl.Int64)
    if kind in "Mfiub" and 2 * len(order) <= len(values):
        # A few rows of many (the customers of largest CLV, a ranked sheet's first ones):
        # those rows only, rather than a copy of the whole column gathered block by block.
        values, positions = values[order], None
    if kind == "M":
        days = values.astype("datetime64[D]")
        serial = np.where(np.isnat(days), np.nan, days.astype(np.int64) + EXCEL_DAY_OF_1970)
        return _numbers(serial, formats.date, positions)
    if kind in "fiub":
        number_format = formats.for_column(key)
        return _numbers(np.asarray(values, dtype=np.float64), number_format, positions)
    texts = pl.Series(key, labels.cell_texts(key, values[order]), pl.String)
    texts = texts.set(texts.str.len_bytes() == 0, None)
    distinct = texts.drop_nulls().unique(maintain_order=True)
    if len(distinct) > max(SHARED_STRINGS_MIN, len(texts) // 10):
        return TableColumn(texts, '" t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>",
                           text=True)  # fmt: skip
    index = [sheet.str_table._get_shared_string_index(text) for text in distinct.to_list()]
    codes = texts.replace_strict(distinct, pl.Series(index, dtype=pl.UInt32), default=None)
    return TableColumn(codes, '" t="s"><v>', "</v></c>")


SHARED_STRINGS_MIN = 1_000  # distinct texts shared in any case (more: if a tenth of the cells)


def _numbers(values: np.ndarray, number_format: Format, order: pl.Series | None) -> TableColumn:
    series = pl.Series(values)  # NaN and infinities are left blank as the rows are written
    head = f'" s="{number_format._get_xf_index()}"><v>'
    return TableColumn(series, head, "</v></c>", order=order)


class TableSheet(Worksheet):
    """A worksheet whose rows below the headings are one table, written as XML by polars a
    block of rows at a time instead of one xlsxwriter call per cell (which costs microseconds
    a cell: 90 % of the time of a 200,000-customer analysis)."""

    def __init__(self) -> None:
        super().__init__()
        self.table_columns: list[TableColumn] = []
        self.table_rows = 0

    def put_table(self, columns: list[TableColumn], rows: int) -> None:
        self.table_columns = columns
        self.table_rows = rows
        if rows and columns:
            self._check_dimensions(rows, len(columns) - 1)

    def _write_sheet_data(self) -> None:
        if not self.table_columns:
            super()._write_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self._write_rows()  # the headings
        rows = self.table_rows
        # Bytes straight to the file under the text wrapper: no decoding into a Python string
        # and encoding back (a third of the time of a large table).
        binary = getattr(self.fh, "buffer", None)
        self.fh.flush()
        for start in range(0, rows, TABLE_BLOCK_ROWS):
            xml = _rows_xml(self.table_columns, start, min(TABLE_BLOCK_ROWS, rows - start))
            if binary is not None:
                binary.write(xml.cast(pl.Binary).item())
            else:
                self.fh.write(xml.item())
        self._xml_end_tag("sheetData")


TABLE_BLOCK_ROWS = 10_000
# Characters XML 1.0 cannot hold, written as Excel's _xHHHH_ escapes (as xlsxwriter does).
CONTROL_CHARACTERS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32))]
CONTROL_ESCAPES = [f"_x{ord(c):04X}_" for c in CONTROL_CHARACTERS]


def _rows_xml(columns: list[TableColumn], start: int, length: int) -> pl.Series:
    """``<row>`` elements of the table rows start..start+length (sheet rows start+2 ...)."""
    row = pl.Series(np.arange(start + 2, start + 2 + length)).cast(pl.String)
    frame = pl.DataFrame(
        {"row": row, **{f"c{j}": column.block(start, length) for j, column in enumerate(columns)}}
    )  # fmt: skip
    cells = [
        _cell_xml(pl.col(f"c{j}"), xl_col_to_name(j), column) for j, column in enumerate(columns)
    ]
    start_tag = pl.concat_str([pl.lit('<row r="'), pl.col("row"), pl.lit('">')])
    rows = pl.concat_str([start_tag, *cells, pl.lit("</row>")])
    return frame.select(rows.str.join("")).to_series()


def _cell_xml(value: pl.Expr, letter: str, column: TableColumn) -> pl.Expr:
    if column.text:
        content = (
            value.str.replace_all(r"(_x[0-9a-fA-F]{4}_)", "_x005F$1")
            .str.replace_many(CONTROL_CHARACTERS, CONTROL_ESCAPES)
            .str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True)
        )
    else:
        content = pl.when(value.is_finite()).then(value.cast(pl.String))
    cell = pl.concat_str(
        [pl.lit(f'<c r="{letter}'), pl.col("row"), pl.lit(column.head), content,
         pl.lit(column.tail)]
    )  # fmt: skip
    return cell.fill_null("")


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
    """The first RANKED_ROWS customers by one column (the customers sheet has them all)."""
    order = top_positions(result, by, RANKED_ROWS, descending=descending)
    _table(_table_sheet(book, sheet_title(name)), formats, result.customers, keys, order)


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
