"""用友 U8 销售订单.

The sales order list of 用友 U8+ (销售管理 > 销售订货 > 销售订单列表, 输出), one row per order
line; prices and totals with and without VAT side by side (含税单价 / 无税单价, 价税合计 /
无税金额), the rate as a percentage (税率（%）: 13).

Sources: [C] = U8's item names for the same columns (iQuantity, iUnitPrice, iTaxUnitPrice,
iMoney, iTax, iSum, iNatMoney, iTaxRate, cexch_name, iExchRate, cCusCode, cInvCode) on the
发货单 card, which shares them with the order, in an integration's field map, niumowang/U8,
SQL/Data_Data_CQ_DispatchList_Field_NL.sql; "unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_sales_order",
    name="用友 U8 销售订单",
    kind="orders",
    columns={
        "order_no": ("订单号",),  # [C] cSOCode
        "order_date": ("订单日期",),  # unverified
        "customer_code": ("客户编码",),  # [C]
        "customer_name": ("客户名称", "客户简称"),  # 客户名称 [C]; 客户简称 unverified
        "line_no": ("行号",),  # unverified
        "sku": ("存货编码",),  # [C]
        "quantity": ("数量",),  # [C]
        "unit_price": ("无税单价",),  # [C]
        "gross_unit_price": ("含税单价",),  # [C]
        "amount": ("无税金额",),  # [C]
        "tax_amount": ("税额",),  # [C]
        "gross_amount": ("价税合计",),  # [C]
        "tax_rate": ("税率（%）", "税率(%)", "税率"),  # 税率（%） (表体), 税率 (表头) [C]
        "currency": ("币种",),  # [C]
        "exchange_rate": ("汇率",),  # [C]
        "local_amount": ("本币金额",),  # [C] iNatMoney: net, in the company currency
        "promised_date": ("预发货日期",),  # unverified
    },
    known={
        "name": ("存货名称",),  # [C]
        "spec": ("规格型号",),  # unverified
        "sales_type": ("销售类型",),  # unverified (the card has 销售类型编码)
        "quote": ("报价",),  # unverified
    },
)
