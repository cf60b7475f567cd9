"""用友 YonSuite 收款单.

The receipts of 用友 YonSuite / YonBIP (收款单列表, 导出 Excel), one row per receipt; 本币金额
in the company currency.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonsuite_receipt",
    name="用友 YonSuite 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据编号",),
        "payment_date": ("单据日期",),
        "customer_name": ("客户",),
        "amount": ("本币金额", "收款金额"),
        "currency": ("币种",),
        "reference": ("备注",),
    },
    known={
        "entity": ("会计主体",),
        "method": ("结算方式",),
        "kind": ("款项类型",),
        "rate": ("汇率",),
    },
)
