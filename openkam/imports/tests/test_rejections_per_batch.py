"""Cells are read a column of a batch at a time, each distinct cell once: still every row with
an unreadable cell is rejected on its own, at its first unreadable column, with its row number."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports import services
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db

EAST = "上海东方电梯有限公司"


def test_the_same_bad_cell_rejects_each_of_its_rows_at_the_first_bad_column_in_every_batch(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    rows = [
        order_row("SO-1", 1, "2024-02-30", EAST, "M-100", "many", "1", "1"),  # date, then qty
        order_row("SO-2", 1, "2024-03-01", EAST, "M-100", "1", "1", "1"),
        order_row("SO-3", 1, "2024-02-30", EAST, "M-100", "1", "1", "1"),  # same bad date
        order_row("SO-4", 1, "2024-03-01", EAST, "M-100", "", "1", "1"),  # required, empty
        order_row("SO-5", 1, "2024-03-01", EAST, "M-100", "many", "1", "1"),
    ]
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    with translation.override("en"):
        run = import_run(kind="orders", path=path)

    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (5, 1, 4)
    assert list(OrderLine.objects.values_list("order__order_no", flat=True)) == ["SO-2"]
    assert [r[-3:] for r in read_csv(run.rejected_file)[1:]] == [
        ["2", "下单日期", "no such date"],
        ["4", "下单日期", "no such date"],
        ["5", "数量", "a value is required"],
        ["6", "数量", "not a number"],
    ]


def test_a_row_longer_than_the_header_is_rejected_before_its_cells_are_read(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        [*order_row("SO-1", 1, "2024-02-30", EAST, "M-100", "1", "1", "1"), "extra"],
        order_row("SO-2", 1, "2024-03-01", EAST, "M-100", "1", "1", "1"),
    ]
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    with translation.override("en"):
        run = import_run(kind="orders", path=path)

    assert (run.rows_inserted, run.rows_rejected) == (1, 1)
    assert read_csv(run.rejected_file)[1][-3:] == [
        "2", "", "the row has more cells than the file has columns"
    ]  # fmt: skip
