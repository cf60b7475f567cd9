"""用友 YonSuite 客户档案.

The customer records of 用友 YonSuite / YonBIP (客户档案, 导出 Excel), one row per customer.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonsuite_customer",
    name="用友 YonSuite 客户档案",
    kind="accounts",
    columns={
        "customer_code": ("客户编码",),
        "legal_name": ("客户名称",),
        "short_name": ("客户简称",),
        "credit_code": ("统一社会信用代码",),
        "phone": ("联系电话",),
    },
    known={
        "class": ("客户分类",),
        "org": ("管理组织",),
        "level": ("客户级别",),
    },
)
