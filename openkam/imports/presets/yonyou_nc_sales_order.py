"""用友 NC 销售订单.

The sales order of 用友 NC / NC Cloud (销售订单维护, 导出), one row per order line, quantities
and prices in the main unit (主数量, 主含税单价, 主无税单价).

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_nc_sales_order",
    name="用友 NC 销售订单",
    kind="orders",
    columns={
        "order_no": ("单据号", "订单编号"),
        "order_date": ("单据日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户名称", "客户"),
        "line_no": ("行号",),
        "sku": ("物料编码",),
        "quantity": ("主数量", "数量"),
        "unit_price": ("主无税单价", "无税单价"),
        "gross_unit_price": ("主含税单价", "含税单价"),
        "amount": ("无税金额",),
        "tax_amount": ("税额",),
        "gross_amount": ("价税合计",),
        "tax_rate": ("税率",),
        "currency": ("原币", "币种"),
        "promised_date": ("计划发货日期",),
    },
    known={
        "name": ("物料名称",),
        "spec": ("规格",),
        "model": ("型号",),
        "org": ("销售组织",),
    },
)
