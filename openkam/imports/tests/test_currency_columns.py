"""Order lines in another currency are stored in the company's (CNY) when the file gives the
amount in it (本币金额) or an exchange rate (汇率), the original currency and net amount kept;
lines in CNY, or in another currency with neither, are left as they are; a file whose 本位币
is not the company's is rejected row by row. Numbers by hand. GB18030 CSV and XLSX, with a
title and a totals row."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue, read_csv
from openkam.ledger.models import Order, OrderLine

pytestmark = pytest.mark.django_db
D = Decimal
EAST = "上海东方电梯有限公司"
TITLE = [["销售订单列表"], ["日期：2024-03-01 至 2024-03-31"], []]
HEADER = ["订单号", "行号", "订单日期", "客户名称", "存货编码", "数量", "含税单价", "税率",
          "币种", "汇率", "本币金额"]  # fmt: skip


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def lines() -> dict[tuple[str, int], OrderLine]:
    return {(x.order.order_no, x.line_no): x for x in OrderLine.objects.select_related("order")}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_lines_in_another_currency_are_stored_in_cny_with_the_original_kept(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    rows = [
        # EUR at 7.8: 10 × 11.30 with VAT = 113.00 -> 100.00 net + 13.00 VAT (EUR)
        # -> 780.00 net, 101.40 VAT, unit price 10 × 7.8 = 78 (CNY).
        ["SO-1", 1, "2024-03-05", EAST, "M-100", 10, "11.30", "13%", "欧元", "7.8", ""],
        # USD, 本币金额 given: 3 × 37.6623 with VAT = 112.99 -> 99.99 net + 13.00 VAT (USD);
        # stored 719.93 net, VAT 13.00 × 719.93 / 99.99 = 93.5996... -> 93.60,
        # unit price 719.93 / 3 = 239.976667.
        ["SO-2", 1, "2024-03-06", EAST, "D-200", 3, "37.6623", "13%", "USD", "7.2", "719.93"],
        # CNY with a rate of 1: as it is (113.00 -> 100.00 + 13.00).
        ["SO-3", 1, "2024-03-07", EAST, "M-100", 1, "113", "13%", "人民币", "1", "100.00"],
        # HKD with neither: left in HKD.
        ["SO-4", 1, "2024-03-08", EAST, "M-100", 1, "113", "13%", "HKD", "", ""],
    ]  # fmt: skip
    totals = ["合计", "", "", "", "", 15, "", "", "", "", "819.93"]
    path = write_export(tmp_path / f"orders{suffix}", HEADER, rows, title=TITLE, totals=totals)
    run = import_run(kind="orders", path=path, source="ERP")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.counts()["inserted"] == 4, run.notes
    found = lines()
    eur, usd, cny, hkd = (found[f"SO-{n}", 1] for n in (1, 2, 3, 4))
    assert (eur.currency, eur.amount, eur.tax_amount, eur.unit_price) == (
        "CNY", D("780.00"), D("101.40"), D("78"))  # fmt: skip
    assert (eur.original_currency, eur.original_amount) == ("EUR", D("100.00"))
    assert (usd.currency, usd.amount, usd.tax_amount, usd.unit_price) == (
        "CNY", D("719.93"), D("93.60"), D("239.976667"))  # fmt: skip
    assert (usd.original_currency, usd.original_amount) == ("USD", D("99.99"))
    assert (cny.currency, cny.amount, cny.tax_amount) == ("CNY", D("100.00"), D("13.00"))
    assert (cny.original_currency, cny.original_amount) == ("", None)
    assert (hkd.currency, hkd.amount, hkd.original_currency) == ("HKD", D("100.00"), "")
    assert Order.objects.get(order_no="SO-1").currency == "CNY"

    again = import_run(kind="orders", path=path, source="ERP")
    assert again.counts()["unchanged"] == 4


def test_a_file_whose_local_currency_is_not_the_companys_is_rejected_row_by_row(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    header = ["订单号", "订单日期", "客户名称", "存货编码", "数量", "金额", "币种", "本位币",
              "本币金额"]  # fmt: skip
    rows = [["SO-1", "2024-03-05", EAST, "M-100", 1, "100", "USD", "HKD", "780"],
            ["SO-2", "2024-03-05", EAST, "M-100", 1, "100", "USD", "人民币", "720"]]  # fmt: skip
    path = write_export(tmp_path / "o.csv", header, rows)
    run = import_run(kind="orders", path=path, source="ERP")
    assert [r[-3:] for r in read_csv(run.rejected_file)[1:]] == [
        ["2", "本位币", "the company currency is CNY"]
    ]
    assert list(OrderLine.objects.values_list("amount", "original_amount")) == [
        (D("720.00"), D("100.00"))
    ]


def test_an_exchange_rate_of_zero_is_rejected(tmp_path: Path, catalogue: Catalogue) -> None:
    header = ["订单号", "订单日期", "客户名称", "存货编码", "数量", "金额", "币种", "汇率"]
    path = write_export(tmp_path / "o.csv", header,
                        [["SO-1", "2024-03-05", EAST, "M-100", 1, "100", "USD", "0"]])  # fmt: skip
    run = import_run(kind="orders", path=path, source="ERP")
    assert [r[-3:] for r in read_csv(run.rejected_file)[1:]] == [["2", "汇率", "must not be zero"]]
    assert not OrderLine.objects.exists()
