"""用友 NC 客户档案.

The customer records of 用友 NC / NC Cloud (客户基本信息, 导出), one row per customer; the
credit code is 纳税人登记号.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_nc_customer",
    name="用友 NC 客户档案",
    kind="accounts",
    columns={
        "customer_code": ("客户编码",),
        "legal_name": ("客户名称",),
        "short_name": ("客户简称",),
        "credit_code": ("纳税人登记号",),
        "phone": ("电话",),
    },
    known={
        "class": ("客户基本分类",),
        "country": ("国家/地区",),
        "org": ("所属组织",),
        "state": ("启用状态",),
    },
)
