"""金蝶云星空 销售发票.

The sales invoice list of 金蝶 K/3 Cloud 云星空 (IV_SALESIC / IV_SALESOC, 引出) at the invoice's
level: 价税合计 is what the customer owes.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_sales_invoice",
    name="金蝶云星空 销售发票",
    kind="invoices",
    columns={
        "invoice_no": ("发票号码", "单据编号", "FBillNo"),
        "invoice_date": ("开票日期", "业务日期", "FDate"),
        "customer_name": ("客户", "FCUSTOMERID"),
        "amount": ("价税合计", "FALLAMOUNTFOR"),
        "net_amount": ("不含税金额", "金额", "FAMOUNTFOR"),
        "tax_amount": ("税额", "FTAXAMOUNTFOR"),
        "currency": ("币别", "FCURRENCYID"),
    },
    known={
        "type": ("发票类型",),
        "org": ("结算组织", "FSETTLEORGID"),
        "bill_type": ("单据类型",),
    },
)
