"""金蝶 K/3 WISE 销售订单.

The sales order register of 金蝶 K/3 WISE (销售订单序时簿, 引出), one row per entry: the
customer is 购货单位, the product 产品代码, the rate 税率(%).

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_wise_sales_order",
    name="金蝶 K/3 WISE 销售订单",
    kind="orders",
    columns={
        "order_no": ("编号", "单据编号"),
        "order_date": ("日期",),
        "customer_name": ("购货单位",),
        "sku": ("产品代码",),
        "quantity": ("数量",),
        "unit_price": ("单价",),
        "gross_unit_price": ("含税单价",),
        "amount": ("金额",),
        "tax_rate": ("税率(%)",),
        "tax_amount": ("销项税额", "税额"),
        "gross_amount": ("价税合计",),
        "currency": ("币别",),
        "promised_date": ("交货日期",),
    },
    known={
        "name": ("产品名称",),
        "spec": ("规格型号",),
        "unit": ("单位",),
    },
)
