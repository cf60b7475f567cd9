"""用友 U9 收款单.

The receipts of 用友 U9 cloud (应收管理 > 收款单, 导出), one row per receipt; 本币金额 in the
company currency.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_receipt",
    name="用友 U9 收款单",
    kind="payments",
    columns={
        "payment_no": ("单号",),
        "payment_date": ("业务日期",),
        "customer_code": ("客户",),
        "customer_name": ("客户名称",),
        "amount": ("本币金额", "金额"),
        "currency": ("币种",),
        "reference": ("备注",),
    },
    known={
        "use": ("收款用途",),
        "account": ("银行账号",),
        "rate": ("汇率",),
    },
)
