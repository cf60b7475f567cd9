"""用友 U8 收款单.

The receipt list of 用友 U8+ (应收款管理 > 收款单据录入 / 收款单列表, 输出). The amount read is
the one in the company's currency (本币金额) when the list has it.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_receipt",
    name="用友 U8 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据编号",),
        "payment_date": ("单据日期",),
        "customer_code": ("客户编码",),
        "customer_name": ("客户", "客户名称"),
        "amount": ("本币金额", "金额"),
        "reference": ("摘要",),
    },
    known={
        "method": ("结算方式",),
        "currency": ("币种",),
        "dept": ("部门",),
        "rate": ("汇率",),
    },
)
