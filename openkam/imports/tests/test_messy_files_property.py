"""Property: whatever mess a file holds (encodings, separators, date and number forms, missing
and extra columns, duplicates), every row is either stored exactly once or reported with a reason,
the counts add up, a re-import is a no-op and --atomic leaves the database untouched on any
error. Seeded by hypothesis; a failure prints the example."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import Catalogue, read_csv
from openkam.ledger.models import AccountMonth, Order, OrderLine

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Line:
    order_no: str
    line_no: int
    cells: dict[str, str]
    quantity: Decimal
    valid: bool  # every cell readable and every reference known


def _date_text(day: dt.date, form: int) -> str:
    return [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
    ][form]


def _amount_text(value: Decimal, form: int) -> str:
    text = f"{abs(value):,}"
    if form == 0:
        return str(value)
    if form == 1:
        return f"({text})" if value < 0 else f"¥{text}"
    if form == 2:  # full-width digits
        return str(value).translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    return f"{value} 元"


@st.composite
def lines(draw: Any, c: Catalogue) -> Line:
    order_no = f"SO-{draw(st.integers(1, 6))}"
    line_no = draw(st.integers(1, 3))
    valid = True
    if draw(st.integers(0, 9)) == 0:
        date_text, valid = draw(st.sampled_from(["2024-02-30", "soon", "3/5/24"])), False
    else:
        day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2025, 12, 31)))
        date_text = _date_text(day, draw(st.integers(0, 4)))
    customer = draw(st.integers(0, 9))
    if customer == 0:
        name, credit, valid = "未知客户有限公司", "", False
    elif customer < 5:
        name, credit = c.east.legal_name, ""
    else:
        name, credit = "", c.west.credit_code
    sku = draw(st.sampled_from(["M-100", "D-200", "M-100", "X-404"]))
    valid = valid and sku != "X-404"
    quantity = Decimal(draw(st.integers(1, 50_000))).scaleb(-draw(st.integers(0, 3)))
    if draw(st.integers(0, 11)) == 0:
        quantity_text, valid = draw(st.sampled_from(["1,2", "many", ""])), False
    else:
        quantity_text = _amount_text(quantity, draw(st.integers(0, 3)))
    amount = Decimal(draw(st.integers(-(10**9), 10**9))).scaleb(-2)
    cells = {
        "订单号": order_no,
        "行号": str(line_no),
        "下单日期": date_text,
        "客户名称": name,
        "统一社会信用代码": credit,
        "产品编码": sku,
        "数量": quantity_text,
        "金额": _amount_text(amount, draw(st.integers(0, 3))),
        "备注": draw(st.text(max_size=5)),  # an extra column nobody maps
    }
    return Line(order_no, line_no, cells, quantity, valid)


def _file(folder: Path, rows: list[Line], encoding: str, delimiter: str) -> Path:
    headers = list(rows[0].cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([line.cells[h] for h in headers] for line in rows)
    path = folder / "messy.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


def _snapshot() -> list[Any]:
    return [
        list(Order.objects.order_by("pk").values()),
        list(OrderLine.objects.order_by("pk").values()),
        list(AccountMonth.objects.order_by("pk").values()),
    ]


def _encodable(rows: list[Line], encoding: str) -> bool:
    try:
        for line in rows:
            "".join(line.cells.values()).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_row_is_stored_once_or_reported_and_reimports_change_nothing(
    data: st.DataObject, catalogue: Catalogue
) -> None:
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    delimiter = data.draw(st.sampled_from([",", "\t", ";"]))
    rows = data.draw(st.lists(lines(catalogue), min_size=1, max_size=40))
    rows += data.draw(st.lists(st.sampled_from(rows), max_size=5))  # exact duplicates
    if not _encodable(rows, encoding):
        rows = [Line(r.order_no, r.line_no, {**r.cells, "备注": ""}, r.quantity, r.valid)
                for r in rows]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        path = _file(Path(folder), rows, encoding, delimiter)
        run = import_run(kind="orders", path=path)
        counts = run.counts()
        assert counts["read"] == len(rows)
        assert counts["read"] == sum(counts[k] for k in ("inserted", "updated", "unchanged",
                                                         "rejected"))  # fmt: skip
        rejected = (
            {int(r[-3]): r[-1] for r in read_csv(run.rejected_file)[1:]}
            if (run.rejected_file)
            else {}
        )
        assert len(rejected) == counts["rejected"]
        assert all(reason for reason in rejected.values())
        stored = {
            (order_no, line_no): quantity
            for order_no, line_no, quantity in OrderLine.objects.values_list(
                "order__order_no", "line_no", "quantity"
            )
        }
        accepted_keys = set()
        for number, line in enumerate(rows, start=2):
            if not line.valid:
                assert number in rejected, (number, line)
            if number not in rejected:
                key = (line.order_no, line.line_no)
                accepted_keys.add(key)
                assert stored[key] == line.quantity
        assert set(stored) == accepted_keys  # nothing stored that no row asked for
        assert counts["inserted"] == len(stored)
        before = _snapshot()
        again = import_run(kind="orders", path=path)
        assert again.counts() == {**counts, "inserted": 0, "updated": 0,
                                  "unchanged": counts["read"] - counts["rejected"]}  # fmt: skip
        assert _snapshot() == before
        transaction.set_rollback(True)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_atomic_imports_leave_the_database_untouched_on_any_rejection(
    data: st.DataObject, catalogue: Catalogue
) -> None:
    rows = data.draw(st.lists(lines(catalogue), min_size=1, max_size=30))
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        before = _snapshot()
        run = import_run(kind="orders", path=_file(Path(folder), rows, "utf-8", ","), atomic=True)
        if run.rows_rejected:
            assert run.status == ImportRun.Status.REFUSED
            assert _snapshot() == before
        else:
            assert run.status == ImportRun.Status.DONE
            assert all(line.valid for line in rows)
        transaction.set_rollback(True)
