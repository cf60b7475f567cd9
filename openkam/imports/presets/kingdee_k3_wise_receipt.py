"""金蝶 K/3 WISE 收款单.

The receipts of 金蝶 K/3 WISE (应收款管理 > 收款单, 引出), one row per receipt: the customer
is 核算项目, 单据金额(本位币) the amount in the company currency.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_wise_receipt",
    name="金蝶 K/3 WISE 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据号",),
        "payment_date": ("单据日期",),
        "customer_name": ("核算项目",),
        "amount": ("单据金额(本位币)", "单据金额"),
        "currency": ("币别",),
        "reference": ("摘要",),
    },
    known={
        "method": ("结算方式",),
        "rate": ("汇率",),
        "kind": ("核算项目类别",),
    },
)
