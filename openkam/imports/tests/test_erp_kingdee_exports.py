"""金蝶 exports import as they come (GB18030 CSV and XLSX, title above, totals below): K/3
Cloud's and K/3 WISE's sales orders and 精斗云's sales slips with VAT, stored net; K/3 Cloud's
customers and materials. Numbers by hand."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.accounts.models import Account
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import OrderLine, Product

pytestmark = pytest.mark.django_db
D = Decimal
SUFFIXES = [".csv", ".xlsx"]
EAST = "上海东方电梯有限公司"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_k3_cloud_sales_orders_with_vat_are_stored_net(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    header = ["单据编号", "日期", "销售组织", "客户", "物料编码", "物料名称", "规格型号",
              "销售单位", "销售数量", "单价", "含税单价", "税率%", "税额", "金额", "价税合计",
              "要货日期", "结算币别", "单据状态"]  # fmt: skip
    rows = [
        ["XSDD000101", "2024/6/3", "总部", EAST, "M-100", "曳引机", "", "台", 5, "2000", "2260",
         13, "1300", "10000", "11300", "2024/6/30", "人民币", "已审核"],
        ["XSDD000102", "2024/6/10", "总部", EAST, "D-200", "门机", "", "台", 3, "", "",
         9, "", "", "100.00", "", "人民币", "已审核"],
    ]  # fmt: skip
    path = write_export(tmp_path / f"云星空销售订单{suffix}", header, rows,
                        title=[["销售订单"], ["组织：总部"]],
                        totals=["合计", "", "", "", "", "", "", "", 8, "", "", "", "1300",
                                "10000", "11400", "", "", ""])  # fmt: skip
    run = import_run(kind="orders", path=path, source="K3C")
    assert (run.preset, run.rows_inserted, run.rows_rejected) == (
        "kingdee_k3_cloud_sales_order",
        2,
        0,
    ), run.message
    first = OrderLine.objects.get(order__order_no="XSDD000101")
    assert (first.unit_price, first.amount, first.tax_amount) == (D("2000"), D("10000"), D("1300"))
    # 100.00 with VAT at 9 %: 100 / 1.09 = 91.743... -> 91.74 net, 8.26 VAT, 30.58 a unit.
    second = OrderLine.objects.get(order__order_no="XSDD000102")
    assert (second.amount, second.tax_amount, second.tax_rate) == (D("91.74"), D("8.26"),
                                                                   D("0.09"))  # fmt: skip
    assert second.unit_price == D("30.58")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_k3_wise_and_jingdouyun_sales_read_their_own_captions(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    wise = write_export(
        tmp_path / f"K3序时簿{suffix}",
        ["日期", "编号", "购货单位", "部门", "产品代码", "产品名称", "规格型号", "单位", "数量",
         "单价", "含税单价", "金额", "税率(%)", "销项税额", "价税合计", "交货日期", "币别"],
        [["2024-07-01", "SEORD000001", EAST, "销售部", "M-100", "曳引机", "", "台", 2, "500",
          "565", "1000", 13, "130", "1130", "2024-07-15", "人民币"]],
        title=[["销售订单序时簿"]], totals=["合计", "", "", "", "", "", "", "", 2, "", "", "1000",
                                          "", "130", "1130", "", ""],
    )  # fmt: skip
    run = import_run(kind="orders", path=wise, source="K3")
    assert (run.preset, run.rows_inserted) == ("kingdee_k3_wise_sales_order", 1), run.message
    line = OrderLine.objects.get(order__order_no="SEORD000001")
    assert (line.amount, line.tax_amount) == (D("1000"), D("130"))
    slips = write_export(
        tmp_path / f"精斗云销货单{suffix}",
        ["单据日期", "单据编号", "客户", "销售人员", "商品编号", "商品名称", "规格型号", "单位",
         "仓库", "数量", "单价", "含税单价", "税率(%)", "税额", "金额", "价税合计", "备注"],
        [["2024-07-02", "XH-20240702-001", EAST, "李四", "D-200", "门机", "", "台", "总仓", 4,
          "", "56.50", 13, "", "", "226.00", ""]],
        totals=["合计", "", "", "", "", "", "", "", "", 4, "", "", "", "", "", "226.00", ""],
    )  # fmt: skip
    run = import_run(kind="orders", path=slips, source="精斗云")
    assert (run.preset, run.rows_inserted) == ("kingdee_jingdouyun_sales", 1), run.message
    slip = OrderLine.objects.get(order__order_no="XH-20240702-001")
    # 226.00 with VAT at 13 %: 200.00 net, 26.00 VAT, 50 a unit.
    assert (slip.amount, slip.tax_amount, slip.unit_price) == (D("200.00"), D("26.00"), D("50"))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_k3_cloud_customers_and_materials_import_by_their_captions(
    tmp_path: Path, db: None, suffix: str
) -> None:
    customers = write_export(
        tmp_path / f"客户{suffix}",
        ["编码", "名称", "简称", "客户分组", "国家", "通讯地址", "联系电话", "结算币别", "使用组织",
         "数据状态"],
        [["CUST0001", "杭州西湖电梯有限公司", "西湖电梯", "华东", "中国", "杭州市西湖区文三路1号",
          "0571-88888888", "人民币", "总部", "已审核"]],
        title=[["客户列表"]],
    )  # fmt: skip
    run = import_run(kind="accounts", path=customers, source="K3C")
    assert (run.preset, run.rows_inserted) == ("kingdee_k3_cloud_customer", 1), run.message
    account = Account.objects.get(legal_name="杭州西湖电梯有限公司")
    assert (account.short_name, account.phone) == ("西湖电梯", "0571-88888888")
    materials = write_export(
        tmp_path / f"物料{suffix}",
        ["编码", "名称", "规格型号", "物料分组", "物料属性", "存货类别", "基本单位", "使用组织"],
        [["1.01.001", "曳引机 YJ-200", "YJ-200", "主机", "自制", "产成品", "台", "总部"]],
    )  # fmt: skip
    run = import_run(kind="products", path=materials, source="K3C")
    assert (run.preset, run.rows_inserted) == ("kingdee_k3_cloud_material", 1), run.message
    product = Product.objects.get(sku="1.01.001")
    assert (product.name, product.family, product.unit) == ("曳引机 YJ-200", "主机", "台")
