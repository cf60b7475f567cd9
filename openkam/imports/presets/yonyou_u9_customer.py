"""用友 U9 客户.

The customer list of 用友 U9 cloud (基础设置 > 客户, 导出), one row per customer: 编码 and 名称
as U9's lists name them, 税号 the taxpayer number.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_customer",
    name="用友 U9 客户",
    kind="accounts",
    columns={
        "customer_code": ("编码", "客户编码"),
        "legal_name": ("名称", "客户名称"),
        "short_name": ("简称",),
        "credit_code": ("税号",),
        "currency": ("币种",),
        "credit_limit": ("信用额度",),
    },
    known={
        "class": ("客户分类",),
        "terms": ("收款条件",),
        "org": ("所属组织",),
    },
)
