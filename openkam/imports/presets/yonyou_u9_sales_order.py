"""用友 U9 销售订单.

The sales order export of 用友 U9 cloud (销售订单, 导出), one row per order line. 客户 is the
customer's code; 单价 includes VAT when 价格含税 is 是; 税组合 names the rate (增值税13%); line
fields carry their entity's prefix (销售订单行.价税合计).

Sources: [I] = the column set of a real U9 sales-order export quoted in this project's issue
19 (单号, 日期, 客户, 客户名称, 价格含税, 行号, 料品, 品名, 规格, 单价, 数量,
销售订单行.价税合计, 销售订单行.税组合, 交期); "unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_sales_order",
    name="用友 U9 销售订单",
    kind="orders",
    columns={
        "order_no": ("单号",),  # [I]
        "order_date": ("日期",),  # [I]
        "customer_code": ("客户",),  # [I]
        "customer_name": ("客户名称",),  # [I]
        "includes_tax": ("价格含税",),  # [I]
        "line_no": ("行号",),  # [I]
        "sku": ("料品",),  # [I]
        "unit_price": ("单价",),  # [I]
        "quantity": ("数量",),  # [I]
        "gross_amount": ("销售订单行.价税合计", "价税合计"),  # [I]; 价税合计 unverified
        "tax_rate": ("销售订单行.税组合", "税组合"),  # [I]; 税组合 unverified
        "tax_amount": ("销售订单行.税额", "税额"),  # unverified
        "currency": ("币种",),  # unverified
        "promised_date": ("交期",),  # [I]
    },
    known={
        "item_name": ("品名",),  # [I]
        "spec": ("规格",),  # [I]
    },
)
