"""金蝶精斗云 收款单.

The receipts of 金蝶精斗云 (资金 > 收款单, 导出), one row per receipt.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_jingdouyun_receipt",
    name="金蝶精斗云 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据编号",),
        "payment_date": ("单据日期",),
        "customer_name": ("客户",),
        "amount": ("收款金额", "本次收款"),
        "reference": ("备注",),
    },
    known={
        "account": ("结算账户",),
        "method": ("结算方式",),
        "clerk": ("收款人",),
    },
)
