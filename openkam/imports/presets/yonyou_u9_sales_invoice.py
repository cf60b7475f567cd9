"""用友 U9 应收发票.

The receivable invoices of 用友 U9 cloud (应收管理 > 应收单, 导出), one row per invoice: 价税合计
with VAT, 未税金额 without.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_sales_invoice",
    name="用友 U9 应收发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号",),
        "invoice_date": ("业务日期", "开票日期"),
        "due_date": ("到期日",),
        "customer_code": ("客户",),
        "customer_name": ("客户名称",),
        "amount": ("价税合计",),
        "net_amount": ("未税金额",),
        "tax_amount": ("税额",),
        "currency": ("币种",),
    },
    known={
        "doc_no": ("单号",),
        "terms": ("收款条件",),
        "post_date": ("立账日期",),
    },
)
