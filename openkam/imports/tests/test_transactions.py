"""Transactions (customer, date, amount; quantity and product optional): the missing accounts
and products created, one order per customer and date with a line per row, the aggregates
filled, a re-import a no-op, an uncertain customer waiting for a person, and the CDNOW sample
(``customer_id, date, cds, amount``) imported with its ``cds`` column mapped. Numbers by hand."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.accounts.models import Account
from openkam.imports.models import AccountKey, AccountMatch, ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import Catalogue, read_csv, write_csv
from openkam.ledger.models import AccountMonth, Order, OrderLine, Product

pytestmark = pytest.mark.django_db
D = Decimal
CDNOW = Path("/work/shared/data/cdnow_sample.csv")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_rows_become_one_order_per_customer_and_date_and_new_accounts(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        ["C-1", "华北机电有限公司", "2024-03-05", "100.00", "", ""],
        ["C-1", "华北机电有限公司", "2024-03-05", "50.50", "3", "M-100"],  # same order, 2nd line
        ["C-1", "华北机电有限公司", "2024-03-09", "20", "", "NEW-1"],  # another day, new product
        ["C-2", "", "2024-04-01", "1,000", "2", ""],  # no name: the account is named by its code
        ["", "上海东方电梯有限公司", "2024-04-02", "80", "", ""],  # our account, by its name
    ]  # fmt: skip
    header = ["客户编码", "客户名称", "日期", "金额", "数量", "产品编码"]
    path = write_csv(tmp_path / "tx.csv", header, rows)
    run = import_run(kind="transactions", path=path, source="shop")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.counts() == {"read": 5, "inserted": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    north = Account.objects.get(legal_name="华北机电有限公司")
    coded = Account.objects.get(legal_name="C-2")
    assert Account.objects.count() == 4  # east and west of the catalogue, two new
    keys = AccountKey.objects.filter(source="shop").values_list("external_id", "account_id")
    assert set(keys) >= {("C-1", north.pk), ("C-2", coded.pk)}
    assert Order.objects.count() == 4
    first = Order.objects.get(order_no="C-1 2024-03-05")
    lines = list(first.lines.order_by("line_no"))
    assert [(x.line_no, x.quantity, x.amount, x.product.sku) for x in lines] == [
        (1, D("1"), D("100.00"), "UNSPECIFIED"), (2, D("3"), D("50.50"), "M-100")]  # fmt: skip
    # The motor's standard cost (600) is its cost; the product not given has none.
    assert (lines[0].unit_cost, lines[1].unit_cost, lines[1].cost) == (0, D("600"), D("1800.00"))
    assert Product.objects.get(sku="NEW-1").name == "NEW-1"
    assert OrderLine.objects.get(order__order_no="C-2 2024-04-01").unit_price == D("500")
    assert Order.objects.get(order_no="上海东方电梯有限公司 2024-04-02").account == catalogue.east
    march = AccountMonth.objects.get(account=north, month="2024-03-01")
    assert (march.revenue, march.order_count, march.line_count) == (D("170.50"), 2, 3)
    assert any("2 new accounts" in note for note in run.notes), run.notes
    # 100.00 + 20.00 + 1,000.00 + 80.00 booked without any cost (the motor's line has one).
    assert run.warnings == [{"kind": "no_cost", "lines": 4, "amount": "1200.00"}]

    again = import_run(kind="transactions", path=path, source="shop")
    assert again.counts() == {"read": 5, "inserted": 0, "updated": 0, "unchanged": 5,
                              "rejected": 0}  # fmt: skip
    assert (Account.objects.count(), Order.objects.count(), OrderLine.objects.count()) == (4, 4, 5)
    assert not any("new accounts" in note for note in again.notes)


def test_a_customer_resembling_an_account_waits_and_an_empty_one_is_rejected(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        ["上海东方电梯", "2024-03-05", "10"],  # the legal form left out: uncertain, not created
        ["", "2024-03-05", "10"],
        ["成都西部电梯股份有限公司", "2024-13-05", "10"],
    ]
    path = write_csv(tmp_path / "tx.csv", ["customer", "date", "amount"], rows)
    run = import_run(kind="transactions", path=path)
    assert run.counts()["rejected"] == 3
    assert Account.objects.count() == 2
    assert not Order.objects.exists()
    assert AccountMatch.objects.get().account == catalogue.east
    reasons = {tuple(r[-3:]) for r in read_csv(run.rejected_file)[1:]}
    assert ("3", "customer", "a value is required") in reasons
    assert ("4", "date", "no such date") in reasons


def test_a_file_without_amount_fails_naming_the_field(tmp_path: Path, db: None) -> None:
    path = write_csv(tmp_path / "tx.csv", ["客户编码", "日期"], [["C-1", "2024-03-05"]])
    with pytest.raises(Exception, match="columns not found: amount"):
        import_run(kind="transactions", path=path)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert not Account.objects.exists()


def test_the_cdnow_sample_imports_with_its_quantity_column_mapped(db: None) -> None:
    with CDNOW.open(newline="") as handle:
        records = list(csv.DictReader(handle))
    customers = {r["customer_id"] for r in records}
    days = {(r["customer_id"], r["date"]) for r in records}
    total = sum(D(r["amount"]) for r in records)
    run = import_run(kind="transactions", path=CDNOW, source="cdnow", mapping={"quantity": "cds"})
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (len(records), len(records), 0)
    assert Account.objects.count() == len(customers)
    assert Order.objects.count() == len(days)
    assert sum(OrderLine.objects.values_list("amount", flat=True)) == total
    assert sum(AccountMonth.objects.values_list("revenue", flat=True)) == total
    first = OrderLine.objects.get(order__order_no="00004 1997-01-01")
    assert (first.quantity, first.amount) == (D("2"), D("29.33"))
    assert run.mapping["quantity"] == "cds"

    again = import_run(kind="transactions", path=CDNOW, source="cdnow", mapping={"quantity": "cds"})
    assert (again.rows_unchanged, again.rows_inserted, again.rows_updated) == (len(records), 0, 0)


def test_the_cdnow_sample_without_mapping_names_its_unread_column(db: None) -> None:
    run = import_run(kind="transactions", path=CDNOW, source="cdnow")
    assert run.status == ImportRun.Status.DONE
    assert "1 column not read: cds" in " ".join(run.notes)
    assert OrderLine.objects.filter(quantity=1).count() == run.rows_inserted
