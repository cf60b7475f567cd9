"""Downloads of a list as CSV or XLSX, one module for every list in the UI.

A list describes its columns once (`Column`: header label, how to read the value from a row,
the kind of value); `export_response` then streams CSV or writes an XLSX workbook from any
iterable of rows (a queryset is read in chunks, never loaded whole).

CSV is UTF-8 with a byte-order mark: without it Excel on a Chinese Windows reads the file as
GBK and garbles every Chinese character. XLSX is written by xlsxwriter in constant-memory
mode (rows go to a temporary file as they come), with money as numbers in a money format and
dates as real dates, so the figures can be summed and sorted in Excel.

A list adds its downloads in three steps (openkam/web/accounts/exports.py is the example):

    def interaction_columns() -> list[Column[Interaction]]:   # labels follow the request
        return [Column(_("Date"), attr("starts_at"), Kind.DATETIME),
                Column(_("Kind"), attr("get_kind_display")),
                Column(_("Account"), attr("account.legal_name"), width=30)]

    @login_required
    def interaction_list_export(request, fmt):  # the list view's own form and selector
        rows = ...same queryset as the list, unpaginated...
        return export_response(fmt, rows, interaction_columns(), stem=_("Interactions"))

then `path("export.<str:fmt>", ..., name="export")` and, in the list's template,
`{% include "includes/export_buttons.html" with url_name="interactions:export" %}`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

Row = TypeVar("Row")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
QUERYSET_CHUNK = 2000
# A text cell starting with one of these is run as a formula by Excel (CSV injection, OWASP):
# such cells get a leading apostrophe in CSV. XLSX cells are written as strings, never formulas.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31
# Excel refuses these in a sheet name (and a name starting or ending with an apostrophe).
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


XLSX_NUMBER_FORMATS = {
    Kind.INTEGER: "0",
    Kind.NUMBER: "#,##0.####",
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of an export: its header (translated when the file is written), how to
    read the value from a row, and what kind of value it is."""

    label: str | Promise
    value: Callable[[Row], Any]
    kind: Kind = Kind.TEXT
    width: int = 14


def attr(name: str) -> Callable[[Any], Any]:
    """A value getter for an attribute path: attr("owner.display_name")."""
    parts = name.split(".")

    def get(row: Any) -> Any:
        value = row
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value() if callable(value) else value

    return get


def export_filename(stem: str, fmt: str, *, today: dt.date | None = None) -> str:
    """`<stem>-<date>.<fmt>`: the date says which day's data the file holds."""
    day = today or timezone.localdate()
    return f"{stem}-{day:%Y-%m-%d}.{fmt}"


def _rows(rows: Iterable[Row]) -> Iterator[Row]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=QUERYSET_CHUNK)
    return iter(rows)


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: Any, kind: Kind) -> str:
    """A value as CSV text: numbers plain (no thousands separator), dates ISO, booleans 1/0,
    text guarded against formula injection."""
    if value is None:
        return ""
    if kind == Kind.BOOLEAN:
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if kind == Kind.TEXT and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?")


def csv_raw_text(text: str) -> str:
    """A cell copied from a file as text (an import's rejected rows), guarded like csv_cell's
    text, except that a plain number such as -1200.50 stays as it is: Excel reads it as a
    number, never a formula, and the corrected file must import again."""
    if text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row], columns: Sequence[Column[Row]]) -> Iterator[str]:
    """The BOM and header, then one CSV line per row, as they are read."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([str(column.label) for column in columns])
    for row in _rows(rows):
        yield writer.writerow([csv_cell(column.value(row), column.kind) for column in columns])


def csv_response(
    rows: Iterable[Row], columns: Sequence[Column[Row]], *, filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(rows, columns)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_value(value: Any, kind: Kind) -> Any:
    """A value as xlsxwriter writes it: Decimal as float (Excel stores doubles), aware
    datetimes in local time without zone (Excel has none), None as a blank."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.make_naive(timezone.localtime(value))
    if kind == Kind.BOOLEAN:
        return bool(value)
    return value


def excel_sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet made from any text (an account's name like
    上海/苏州电梯有限公司): forbidden characters become "-", no apostrophe at either end, at
    most 31 UTF-16 units (Excel counts those, so an emoji takes two); "Sheet1" if nothing is
    left. The one place sheet names are cleaned, so no export fails on a name."""
    name = SHEET_NAME_FORBIDDEN.sub("-", text).strip().strip("'")
    while len(name.encode("utf-16-le")) // 2 > SHEET_NAME_MAX:
        name = name[:-1]
    return name.rstrip().rstrip("'") or "Sheet1"


def write_xlsx(
    handle: Any, rows: Iterable[Row], columns: Sequence[Column[Row]], *, sheet_name: str
) -> int:
    """Write the workbook to an open binary file; returns the number of data rows."""
    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(excel_sheet_name(sheet_name))
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF6", "bottom": 1})
    formats = {
        kind: workbook.add_format({"num_format": pattern})
        for kind, pattern in XLSX_NUMBER_FORMATS.items()
    }
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, formats.get(column.kind))
        sheet.write_string(0, index, str(column.label), header)
    count = 0
    for count, row in enumerate(_rows(rows), start=1):
        for index, column in enumerate(columns):
            _write_cell(
                sheet, count, index, xlsx_value(column.value(row), column.kind), column, formats
            )
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return count


def _write_cell(
    sheet: Any, row: int, col: int, value: Any, column: Column[Any], formats: dict[Kind, Any]
) -> None:
    cell_format = formats.get(column.kind)
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(row, col, value, cell_format)
    else:
        sheet.write_string(row, col, str(value))


def xlsx_response(
    rows: Iterable[Row], columns: Sequence[Column[Row]], *, filename: str, sheet_name: str
) -> FileResponse:
    # A temporary file rather than memory: constant_memory mode needs a real file, and a big
    # export must not sit in the worker's RAM. FileResponse closes (and so deletes) it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_xlsx(handle, rows, columns, sheet_name=sheet_name)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def export_response(
    fmt: str,
    rows: Iterable[Row],
    columns: Sequence[Column[Row]],
    *,
    stem: str,
    today: dt.date | None = None,
) -> HttpResponseBase:
    """The download of `rows` in `fmt` ("csv" or "xlsx"); any other format is a 404."""
    try:
        chosen = Format(fmt)
    except ValueError as exc:
        raise Http404(fmt) from exc
    filename = export_filename(stem, chosen.value, today=today)
    if chosen == Format.CSV:
        return csv_response(rows, columns, filename=filename)
    return xlsx_response(rows, columns, filename=filename, sheet_name=stem)
