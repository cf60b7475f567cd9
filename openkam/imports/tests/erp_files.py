"""ERP exports as the ERPs write them, built in the tests: a report title and a date range above
the header row, a totals row at the bottom; as CSV in GB18030 or as an XLSX workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

Cell = object  # text or a number, as the ERP writes the cell


def write_export(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    title: Sequence[Sequence[Cell]] = (),
    totals: Sequence[Cell] = (),
) -> Path:
    """The export at ``path`` (.csv: GB18030; .xlsx: a workbook), its rows in this order: the
    title rows, the header, the rows, the totals row."""
    records = [*title, header, *rows, *([totals] if totals else [])]
    if path.suffix == ".xlsx":
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("导出")
        for number, record in enumerate(records):
            sheet.write_row(number, 0, list(record))
        book.close()
        return path
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[str(cell) for cell in record] for record in records])
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    return path
