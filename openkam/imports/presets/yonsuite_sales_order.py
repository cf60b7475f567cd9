"""用友 YonSuite 销售订单.

The sales order list of 用友 YonSuite / YonBIP (销售订单列表, 导出 Excel), one row per order
line.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonsuite_sales_order",
    name="用友 YonSuite 销售订单",
    kind="orders",
    columns={
        "order_no": ("单据编号",),
        "order_date": ("单据日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户名称", "客户"),
        "line_no": ("行号",),
        "sku": ("物料编码",),
        "quantity": ("销售数量", "数量"),
        "unit_price": ("无税单价",),
        "gross_unit_price": ("含税单价",),
        "amount": ("无税金额",),
        "gross_amount": ("含税金额",),
        "tax_amount": ("税额",),
        "tax_rate": ("税率(%)", "税率"),
        "currency": ("币种",),
        "promised_date": ("希望到货日期",),
    },
    known={
        "name": ("物料名称",),
        "spec": ("规格说明",),
        "org": ("销售组织",),
    },
)
