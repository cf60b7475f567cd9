"""金蝶 K/3 WISE 销售发票.

The sales invoice register of 金蝶 K/3 WISE (销售发票序时簿, 引出, 汇总 by invoice), one row
per invoice: 购货单位 by name, 金额 without VAT, 价税合计 with.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_wise_sales_invoice",
    name="金蝶 K/3 WISE 销售发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号码",),
        "invoice_date": ("日期",),
        "customer_name": ("购货单位",),
        "amount": ("价税合计",),
        "net_amount": ("金额",),
        "tax_amount": ("税额",),
        "currency": ("币别",),
        "due_date": ("收款日期",),
    },
    known={
        "dept": ("部门",),
        "clerk": ("业务员",),
        "audit": ("审核标志",),
    },
)
