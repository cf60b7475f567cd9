"""用友 NC 销售发票.

The sales invoices of 用友 NC / NC Cloud (销售发票维护, 导出), one row per invoice: 开票客户 by
name, 原币 the currency.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_nc_sales_invoice",
    name="用友 NC 销售发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号",),
        "invoice_date": ("开票日期",),
        "customer_name": ("开票客户",),
        "amount": ("价税合计",),
        "net_amount": ("无税金额",),
        "tax_amount": ("税额",),
        "currency": ("原币", "币种"),
    },
    known={
        "doc_no": ("单据号",),
        "org": ("开票组织",),
        "type": ("发票类型",),
    },
)
