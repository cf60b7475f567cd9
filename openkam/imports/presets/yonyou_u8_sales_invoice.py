"""用友 U8 销售发票.

The sales invoice list of 用友 U8+ (销售开票 > 销售发票列表, 输出) at the invoice's level
(表头): 价税合计 is what the customer owes.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_sales_invoice",
    name="用友 U8 销售发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号",),
        "invoice_date": ("开票日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户名称", "客户简称"),
        "amount": ("价税合计",),
        "net_amount": ("无税金额", "金额"),
        "tax_amount": ("税额",),
        "order_no": ("订单号",),
        "currency": ("币种",),
    },
    known={
        "type": ("发票类型",),
        "dept": ("销售部门",),
        "sales_type": ("销售类型",),
    },
)
