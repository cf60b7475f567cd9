"""金蝶 K/3 WISE 客户.

The customer records of 金蝶 K/3 WISE (基础资料 > 客户, 引出), one row per customer: 代码,
名称 (全名 the legal name where shown), 税务登记号.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_wise_customer",
    name="金蝶 K/3 WISE 客户",
    kind="accounts",
    columns={
        "customer_code": ("代码",),
        "legal_name": ("全名", "名称"),
        "short_name": ("简称",),
        "credit_code": ("税务登记号",),
        "address": ("地址",),
        "phone": ("电话",),
    },
    known={
        "area": ("区域",),
        "trade": ("行业",),
        "state": ("状态",),
    },
)
