"""Orders are read a batch at a time, column by column, each order's header once per batch:
still blank rows are skipped with the row numbers a spreadsheet shows, an order whose lines
disagree on its header is refused line by line naming its first line, and a changed header
updates the order once, within a batch and across batches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports import services
from openkam.imports.models import ImportChange
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv
from openkam.ledger.models import Order, OrderLine

pytestmark = pytest.mark.django_db

EAST = "上海东方电梯有限公司"
WEST = "成都西部电梯股份有限公司"


@pytest.mark.parametrize("batch_rows", [2, 3, 5000])
def test_blank_rows_are_skipped_and_the_others_keep_their_row_numbers(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", batch_rows)
    rows = [
        order_row("SO-1", 1, "2024-03-01", EAST, "M-100", "1", "10", "10"),
        [],  # an empty line
        ["", " ", "", "\t", "", "", "", "", "", ""],  # blanks only
        order_row("SO-2", 1, "2024-03-01", EAST, "M-100", "x", "10", "10"),  # row 5: refused
        [" ", "", "", "", "", "", "", "", "", ""],
        order_row("SO-3", 1, "2024-03-01", EAST, "M-100", "2", "10", "20"),
    ]
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    with translation.override("en"):
        run = import_run(kind="orders", path=path)

    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (3, 2, 1)
    assert [r[-3:] for r in read_csv(run.rejected_file)[1:]] == [["5", "数量", "not a number"]]
    assert sorted(OrderLine.objects.values_list("order__order_no", flat=True)) == ["SO-1", "SO-3"]


@pytest.mark.parametrize(
    ("batch_rows", "reason"),
    [
        (2, "the same key is earlier in the file with different values"),  # another batch
        (5000, "the same key is on row 2 with different values"),
    ],
)
def test_lines_that_disagree_on_their_orders_header_are_refused_naming_the_first_line(
    tmp_path: Path,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    batch_rows: int,
    reason: str,
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", batch_rows)
    rows = [
        order_row("SO-1", 1, "2024-03-01", EAST, "M-100", "1", "10", "10"),  # row 2
        order_row("SO-1", 2, "2024-03-01", EAST, "D-200", "1", "10", "10"),
        order_row("SO-1", 3, "2024-03-09", EAST, "D-200", "1", "10", "10"),  # another date
        order_row("SO-1", 4, "2024-03-01", WEST, "D-200", "1", "10", "10"),  # another customer
        order_row("SO-1", 5, "2024-03-01", EAST, "D-200", "1", "10", "10"),
    ]
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    with translation.override("en"):
        run = import_run(kind="orders", path=path)

    assert (run.rows_inserted, run.rows_rejected) == (3, 2)
    assert [[r[0], *r[-3:]] for r in read_csv(run.rejected_file)[1:]] == [
        ["SO-1", "4", "订单号", reason],
        ["SO-1", "5", "订单号", reason],
    ]
    order = Order.objects.get()
    assert (order.order_date, order.account_id) == (dt.date(2024, 3, 1), catalogue.east.pk)
    assert sorted(order.lines.values_list("line_no", flat=True)) == [1, 2, 5]


@pytest.mark.parametrize("batch_rows", [2, 5000])
def test_a_changed_order_header_updates_the_order_once_and_its_lines_stay_unchanged(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", batch_rows)
    lines = [order_row("SO-1", n, "2024-03-01", EAST, "M-100", "1", "10", "10") for n in (1, 2, 3)]
    import_run(kind="orders", path=write_csv(tmp_path / "a.csv", ORDER_HEADERS, lines))
    moved = [order_row("SO-1", n, "2024-03-05", EAST, "M-100", "1", "10", "10") for n in (1, 2, 3)]

    run = import_run(kind="orders", path=write_csv(tmp_path / "b.csv", ORDER_HEADERS, moved))
    again = import_run(kind="orders", path=write_csv(tmp_path / "c.csv", ORDER_HEADERS, moved))

    assert (run.rows_inserted, run.rows_updated, run.rows_unchanged, run.rows_rejected) == (
        0, 1, 2, 0
    )  # fmt: skip
    assert Order.objects.get().order_date == dt.date(2024, 3, 5)
    change = ImportChange.objects.get(run=run)
    assert (change.model, change.row, change.before, change.after) == (
        "ledger.Order", 2, {"order_date": "2024-03-01"}, {"order_date": "2024-03-05"}
    )  # fmt: skip
    assert (again.rows_updated, again.rows_unchanged) == (0, 3)


def test_a_file_of_new_orders_stores_every_line_with_its_derived_values(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", 4)
    rows = [
        order_row(f"SO-{n}", line, "2024-03-01", EAST if n % 2 else WEST, "M-100", "4", "2.5", "")
        for n in range(1, 6)
        for line in (1, 2)
    ]
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    run = import_run(kind="orders", path=path)

    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (10, 10, 0)
    assert Order.objects.count() == 5
    line = OrderLine.objects.get(external_id="SO-3/2")
    assert (line.amount, line.unit_cost, line.cost, line.line_no) == (10, 600, 2400, 2)
    assert line.promised_date is None
    assert line.delivered_quantity is None
    assert set(OrderLine.objects.values_list("account_id", flat=True)) == {
        catalogue.east.pk, catalogue.west.pk
    }  # fmt: skip
