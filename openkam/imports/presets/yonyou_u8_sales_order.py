"""用友 U8 销售订单.

The sales order list of 用友 U8+ (销售管理 > 销售订货 > 销售订单列表, 输出), one row per order
line; prices and totals with and without VAT side by side (含税单价 / 无税单价, 价税合计 /
无税金额), the rate as a percentage (税率（%）: 13).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_sales_order",
    name="用友 U8 销售订单",
    kind="orders",
    columns={
        "order_no": ("订单号",),
        "order_date": ("订单日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户名称", "客户简称"),
        "line_no": ("行号",),
        "sku": ("存货编码",),
        "quantity": ("数量",),
        "unit_price": ("无税单价",),
        "gross_unit_price": ("含税单价",),
        "amount": ("无税金额",),
        "tax_amount": ("税额",),
        "gross_amount": ("价税合计",),
        "tax_rate": ("税率（%）", "税率(%)", "税率"),
        "currency": ("币种",),
        "promised_date": ("预发货日期",),
    },
    known={
        "name": ("存货名称",),
        "spec": ("规格型号",),
        "sales_type": ("销售类型",),
        "quote": ("报价",),
    },
)
