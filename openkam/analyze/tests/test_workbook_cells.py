"""The workbook's customer tables, written as sheet XML a block of rows at a time, hold the cells
xlsxwriter writes one call per cell: the same values (to the last digit xlsxwriter writes), the
same number formats, texts that XML cannot hold as such escaped, blanks where a figure is not
finite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from django.utils import translation

from openkam.analyze import labels, pipeline, reading, workbook
from openkam.analyze.tests.helpers import write_csv

IDS = ["00042", "A&B <c>", "id_x0041_", "ctl\x01x", "=SUM(1)", "客户甲", "Z", "Y", "once"]


@pytest.fixture(scope="module")
def analysis(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[reading.Transactions, pipeline.AnalysisResult]:
    rng = np.random.default_rng(7)
    lines = ["customer,date,amount,cost"]
    lines.append("once,2024-06-01,10.00,6.00")  # one purchase: no gaps between purchases
    for k, customer in enumerate(IDS[:-1] * 3):
        for _ in range(1 + k % 4):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 400)))
            amount = round(float(rng.gamma(2.0, 50.0)), 2)
            lines.append(f'"{customer}",{day},{amount},{amount * 0.6:.2f}')
    path = write_csv(tmp_path_factory.mktemp("cells") / "t.csv", "\n".join(lines) + "\n")
    data = reading.read_transactions(path)
    return data, pipeline.run_analysis(data.frame, pipeline.AnalysisOptions())


def reference_sheet(path: Path, result: pipeline.AnalysisResult, keys: list[str]) -> None:
    """The customers sheet as xlsxwriter writes it cell by cell."""
    book = xlsxwriter.Workbook(str(path))
    formats = workbook.Formats(book)
    sheet = book.add_worksheet("customers")
    for j, key in enumerate(keys):
        sheet.write_string(0, j, labels.column(key), formats.heading)
        values = result.customers[key]
        if values.dtype.kind == "M":
            for i, day in enumerate(values.astype("datetime64[D]").tolist(), start=1):
                if day is not None:
                    sheet.write_datetime(i, j, dt.datetime.combine(day, dt.time()), formats.date)
        elif values.dtype.kind in "fiub":
            for i, value in enumerate(values.astype(float).tolist(), start=1):
                if np.isfinite(value):
                    sheet.write_number(i, j, value, formats.for_column(key))
        else:
            for i, text in enumerate(labels.cell_texts(key, values), start=1):
                if text:
                    sheet.write_string(i, j, text)
    book.close()


def cells(path: Path) -> list[list[tuple[object, str]]]:
    book = openpyxl.load_workbook(path)
    # the reference's own sheet, or the workbook's customers sheet in English or Chinese
    sheet = next(book[name] for name in ("customers", "Customers", "客户") if name in book)
    return [[(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]


def test_the_customer_table_holds_the_cells_xlsxwriter_writes(
    analysis: tuple[reading.Transactions, pipeline.AnalysisResult], tmp_path: Path
) -> None:
    data, result = analysis
    with translation.override("en"):
        workbook.write_workbook(tmp_path / "new.xlsx", data, result)
        reference_sheet(tmp_path / "old.xlsx", result, workbook.sheet_columns(result))
    new, old = cells(tmp_path / "new.xlsx"), cells(tmp_path / "old.xlsx")
    assert len(new) == len(old) == 1 + len(IDS)
    compared = 0
    for new_row, old_row in zip(new, old, strict=True):
        for (value, number_format), (expected, expected_format) in zip(
            new_row, old_row, strict=True
        ):
            assert number_format == expected_format
            if isinstance(expected, int | float) and isinstance(value, int | float):
                # xlsxwriter writes 16 significant digits; the table every digit of the double.
                assert value == pytest.approx(expected, rel=1e-15, abs=0)
            else:
                assert value == expected
            compared += 1
    assert compared > 30 * len(IDS)


def test_texts_xml_cannot_hold_are_escaped_and_ids_stay_text(
    analysis: tuple[reading.Transactions, pipeline.AnalysisResult], tmp_path: Path
) -> None:
    data, result = analysis
    workbook.write_workbook(tmp_path / "new.xlsx", data, result)
    ids = [str(row[0][0]) for row in cells(tmp_path / "new.xlsx")[1:]]
    # "00042" stays text, "=SUM(1)" is no formula, "&<>" are escaped for XML; a control
    # character is held as Excel's escape _x0001_ (which Excel shows as the character).
    stored = [text.replace("\x01", "_x0001_") for text in IDS]
    assert sorted(ids) == sorted(stored)


def test_blank_cells_where_a_figure_is_not_finite(
    analysis: tuple[reading.Transactions, pipeline.AnalysisResult], tmp_path: Path
) -> None:
    data, result = analysis
    workbook.write_workbook(tmp_path / "new.xlsx", data, result)
    rows = cells(tmp_path / "new.xlsx")
    column = [heading for heading, _format in rows[0]].index(labels.column("gap_cv"))
    expected = [np.isfinite(value) for value in result.customers["gap_cv"]]
    assert [row[column][0] is not None for row in rows[1:]] == expected
    assert not all(expected)  # some customers bought once: no variation of their gaps
