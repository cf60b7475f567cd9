"""Importing order lines: stored once, counted, re-imports are no-ops, changes update with
history, rejected rows reported with row, column, value and reason, aggregates kept current."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import AccountKey, ImportChange, ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv
from openkam.ledger.models import AccountMonth, Order, OrderLine

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, rows: list[list[str]], name: str = "orders.csv") -> Path:
    return write_csv(tmp_path / name, ORDER_HEADERS, rows, encoding="utf-8-sig")


def _rows(c: Catalogue) -> list[list[str]]:
    return [
        order_row("SO-1", 1, "2024/3/5", "上海东方电梯有限公司", "M-100", "2", "1,000.00",
                  "2,000.00"),
        order_row("SO-1", 2, "2024/3/5", "上海东方电梯有限公司", "D-200", "4", "250", ""),
        order_row("SO-2", 1, "2024年4月1日", "", "M-100", "1", "", "¥990.00",
                  credit=c.west.credit_code),
    ]  # fmt: skip


def test_order_lines_are_stored_with_their_orders_and_counted(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    run = import_run(kind="orders", path=_file(tmp_path, _rows(catalogue)))
    assert run.status == ImportRun.Status.DONE
    assert run.counts() == {"read": 3, "inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Order.objects.count() == 2
    line = OrderLine.objects.get(order__order_no="SO-1", line_no=2)
    assert (line.quantity, line.unit_price, line.amount) == (4, Decimal("250"), Decimal("1000"))
    assert line.cost == Decimal("600.00")  # standard cost of the product when the file has none
    second = OrderLine.objects.get(order__order_no="SO-2")
    assert second.account_id == catalogue.west.pk
    assert second.unit_price == Decimal("990")


def test_aggregates_of_the_accounts_touched_are_rebuilt(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import_run(kind="orders", path=_file(tmp_path, _rows(catalogue)))
    march = AccountMonth.objects.get(account=catalogue.east)
    assert (march.revenue, march.order_count, march.line_count) == (Decimal("3000"), 1, 2)
    assert AccountMonth.objects.get(account=catalogue.west).revenue == Decimal("990")


def test_reimporting_the_same_file_is_a_no_op(tmp_path: Path, catalogue: Catalogue) -> None:
    path = _file(tmp_path, _rows(catalogue))
    import_run(kind="orders", path=path)
    lines = list(OrderLine.objects.order_by("pk").values())
    again = import_run(kind="orders", path=path)
    assert again.counts() == {"read": 3, "inserted": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert list(OrderLine.objects.order_by("pk").values()) == lines
    assert not ImportChange.objects.exists()


def test_a_changed_row_updates_and_keeps_what_it_replaced(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import_run(kind="orders", path=_file(tmp_path, _rows(catalogue)))
    changed = _rows(catalogue)
    changed[1][7] = "5"  # quantity 4 -> 5
    changed[1][9] = "1250"
    run = import_run(kind="orders", path=_file(tmp_path, changed, "orders2.csv"))
    assert run.counts() == {"read": 3, "inserted": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    line = OrderLine.objects.get(order__order_no="SO-1", line_no=2)
    assert line.quantity == 5
    change = ImportChange.objects.get()
    assert (change.run, change.object_id, change.row) == (run, line.pk, 3)
    assert change.before == {"quantity": "4.000", "amount": "1000.00", "cost": "600.00"}
    assert change.after == {"quantity": "5.000", "amount": "1250.00", "cost": "750.00"}
    assert AccountMonth.objects.get(account=catalogue.east).revenue == Decimal("3250")


def test_rejected_rows_are_reported_with_row_column_value_and_reason_in_the_users_language(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        *_rows(catalogue),
        order_row("SO-3", 1, "2024-02-30", "上海东方电梯有限公司", "M-100", "1", "1", "1"),
        order_row("SO-4", 1, "2024-02-01", "上海东方电梯有限公司", "X-999", "1", "1", "1"),
        order_row("SO-5", 1, "2024-02-01", "上海东方电梯有限公司", "M-100", "many", "1", "1"),
    ]
    with translation.override("en"):
        run = import_run(kind="orders", path=_file(tmp_path, rows))
    assert run.counts() == {"read": 6, "inserted": 3, "updated": 0, "unchanged": 0, "rejected": 3}
    assert not Order.objects.filter(order_no__in=["SO-3", "SO-4", "SO-5"]).exists()
    written = read_csv(run.rejected_file)
    assert written[0] == [*ORDER_HEADERS, "file row", "column", "error"]
    assert [r[-3:] for r in written[1:]] == [
        ["5", "下单日期", "no such date"],
        ["6", "产品编码", "unknown SKU: import the product first"],
        ["7", "数量", "not a number"],
    ]
    assert written[1][:10] == rows[3]
    with translation.override("zh-hans"):
        run = import_run(kind="orders", path=_file(tmp_path, rows))
    assert read_csv(run.rejected_file)[1][-1] == "没有这一天"


def test_a_rejected_row_changes_nothing_already_stored(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import_run(kind="orders", path=_file(tmp_path, _rows(catalogue)))
    before = list(OrderLine.objects.order_by("pk").values())
    bad = _rows(catalogue)
    bad[0][7] = "2,5"  # a quantity that could be misread
    run = import_run(kind="orders", path=_file(tmp_path, bad, "bad.csv"))
    assert run.rows_rejected == 1
    assert list(OrderLine.objects.order_by("pk").values()) == before


def test_atomic_import_with_a_rejected_row_applies_nothing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [*_rows(catalogue), order_row("SO-9", 1, "someday", "上海东方电梯有限公司", "M-100",
                                         "1", "1", "1")]  # fmt: skip
    run = import_run(kind="orders", path=_file(tmp_path, rows), atomic=True)
    assert run.status == ImportRun.Status.REFUSED
    assert run.counts() == {"read": 4, "inserted": 0, "updated": 0, "unchanged": 0, "rejected": 1,
                            "not_applied": 3}  # fmt: skip
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not AccountMonth.objects.exists()
    assert not AccountKey.objects.exists()
    assert len(read_csv(run.rejected_file)) == 2


def test_atomic_import_without_rejections_applies_everything(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    run = import_run(kind="orders", path=_file(tmp_path, _rows(catalogue)), atomic=True)
    assert run.status == ImportRun.Status.DONE
    assert OrderLine.objects.count() == 3


def test_the_same_line_twice_in_a_file_is_stored_once_and_a_contradiction_is_rejected(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = _rows(catalogue)
    twin = list(rows[0])
    contradiction = list(rows[0])
    contradiction[7] = "3"
    run = import_run(kind="orders", path=_file(tmp_path, [*rows, twin, contradiction]))
    assert run.counts() == {"read": 5, "inserted": 3, "updated": 0, "unchanged": 1, "rejected": 1}
    assert OrderLine.objects.count() == 3
    with translation.override("en"):
        run = import_run(kind="orders", path=_file(tmp_path, [*rows, twin, contradiction]))
    assert read_csv(run.rejected_file)[1][-3:] == [
        "6",
        "订单号",
        "the same key is on row 2 with different values",
    ]


def test_every_import_is_recorded_with_its_file_hash(tmp_path: Path, catalogue: Catalogue) -> None:
    import hashlib

    path = _file(tmp_path, _rows(catalogue))
    run = import_run(kind="orders", path=path, source="用友U8")
    assert run.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (run.kind, run.source, run.file_name, run.encoding) == (
        "orders",
        "用友U8",
        "orders.csv",
        "utf_8_sig",
    )
    assert run.finished_at is not None
    assert Order.objects.filter(source="用友U8").count() == 2


def test_a_line_without_unit_price_and_amount_is_rejected_not_a_crash(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        *_rows(catalogue),
        order_row("SO-6", 1, "2024-02-01", "上海东方电梯有限公司", "M-100", "3", "", ""),
    ]
    with translation.override("en"):
        run = import_run(kind="orders", path=_file(tmp_path, rows))
    assert run.status == ImportRun.Status.DONE
    assert run.counts() == {"read": 4, "inserted": 3, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not Order.objects.filter(order_no="SO-6").exists()
    assert read_csv(run.rejected_file)[1][-3:] == [
        "5",
        ORDER_HEADERS[8],
        "a unit price or an amount is required",
    ]
