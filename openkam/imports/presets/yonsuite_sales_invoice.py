"""用友 YonSuite 销售发票.

The sales invoices of 用友 YonSuite / YonBIP (销售发票列表, 导出 Excel), one row per invoice:
含税金额 with VAT, 无税金额 without.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonsuite_sales_invoice",
    name="用友 YonSuite 销售发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号码",),
        "invoice_date": ("开票日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户名称",),
        "amount": ("含税金额", "价税合计"),
        "net_amount": ("无税金额",),
        "tax_amount": ("税额",),
        "currency": ("币种",),
    },
    known={
        "doc_no": ("单据编号",),
        "org": ("开票组织",),
        "type": ("发票类型",),
    },
)
