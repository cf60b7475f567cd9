"""金蝶精斗云 客户.

The customer list of 金蝶精斗云 (资料 > 客户, 导出), one row per customer.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_jingdouyun_customer",
    name="金蝶精斗云 客户",
    kind="accounts",
    columns={
        "customer_code": ("客户编号",),
        "legal_name": ("客户名称",),
        "credit_code": ("纳税人识别号",),
        "address": ("联系地址", "地址"),
        "phone": ("手机", "联系电话"),
    },
    known={
        "class": ("客户类别",),
        "contact": ("联系人",),
        "opening": ("期初应收款",),
    },
)
