"""用友 U9 销售订单.

The sales order export of 用友 U9 cloud (销售订单, 导出), one row per order line. 客户 is the
customer's code; 单价 includes VAT when 价格含税 is 是; 税组合 names the rate (增值税13%); line
fields carry their entity's prefix (销售订单行.价税合计).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_sales_order",
    name="用友 U9 销售订单",
    kind="orders",
    columns={
        "order_no": ("单号",),
        "order_date": ("日期",),
        "customer_code": ("客户",),
        "customer_name": ("客户名称",),
        "includes_tax": ("价格含税",),
        "line_no": ("行号",),
        "sku": ("料品",),
        "unit_price": ("单价",),
        "quantity": ("数量",),
        "gross_amount": ("销售订单行.价税合计", "价税合计"),
        "tax_rate": ("销售订单行.税组合", "税组合"),
        "tax_amount": ("销售订单行.税额", "税额"),
        "currency": ("币种",),
        "promised_date": ("交期",),
    },
    known={
        "item_name": ("品名",),
        "spec": ("规格",),
    },
)
