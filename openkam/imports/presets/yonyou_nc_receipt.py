"""用友 NC 收款单.

The receipts of 用友 NC / NC Cloud (收款单管理, 导出), one row per receipt; 本币金额 in the
company currency.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_nc_receipt",
    name="用友 NC 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据号",),
        "payment_date": ("单据日期",),
        "customer_name": ("客户",),
        "amount": ("本币金额", "原币金额"),
        "currency": ("币种",),
        "reference": ("摘要",),
    },
    known={
        "org": ("财务组织",),
        "method": ("结算方式",),
        "account": ("收款银行账户",),
        "rate": ("汇率",),
    },
)
