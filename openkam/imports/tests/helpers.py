"""Helpers of the imports tests (apart from the fixtures)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openkam.accounts.models import Account
from openkam.factories import AccountFactory, credit_code_for
from openkam.ledger.models import Product

ORDER_HEADERS = ["订单号", "行号", "下单日期", "客户编码", "客户名称", "统一社会信用代码",
                 "产品编码", "数量", "单价", "金额"]  # fmt: skip


@dataclass
class Catalogue:
    east: Account  # 上海东方电梯有限公司, credit code 1
    west: Account  # 成都西部电梯股份有限公司, credit code 2
    motor: Product
    door: Product


def make_catalogue() -> Catalogue:
    east = AccountFactory.create(legal_name="上海东方电梯有限公司", short_name="东方电梯",
                                 credit_code=credit_code_for(900_001))  # fmt: skip
    west = AccountFactory.create(legal_name="成都西部电梯股份有限公司", short_name="西部电梯",
                                 credit_code=credit_code_for(900_002))  # fmt: skip
    motor = Product.objects.create(sku="M-100", name="曳引机", standard_cost=Decimal("600"))
    door = Product.objects.create(sku="D-200", name="门机", standard_cost=Decimal("150"))
    return Catalogue(east=east, west=west, motor=motor, door=door)


def write_csv(
    path: Path,
    headers: list[str],
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_csv(path: str | Path) -> list[list[str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def order_row(
    order: str,
    line: int,
    date: str,
    customer: str,
    sku: str,
    qty: str,
    price: str,
    amount: str,
    *,
    code: str = "",
    credit: str = "",
) -> list[str]:
    return [order, str(line), date, code, customer, credit, sku, qty, price, amount]
