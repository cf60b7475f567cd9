"""金蝶精斗云 销售开票.

The sales invoices of 金蝶精斗云 (销售开票, 导出), one row per invoice.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_jingdouyun_sales_invoice",
    name="金蝶精斗云 销售开票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号码",),
        "invoice_date": ("开票日期",),
        "customer_name": ("客户",),
        "amount": ("价税合计",),
        "net_amount": ("金额",),
        "tax_amount": ("税额",),
        "order_no": ("源单号",),
    },
    known={
        "doc_no": ("单据编号",),
        "type": ("发票类型",),
        "clerk": ("销售人员",),
    },
)
