"""金蝶云星空 客户.

The customer list of 金蝶 K/3 Cloud 云星空 (BD_Customer, 引出); field keys accepted too.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_customer",
    name="金蝶云星空 客户",
    kind="accounts",
    columns={
        "customer_code": ("编码", "FNumber"),
        "legal_name": ("名称", "FName"),
        "short_name": ("简称", "FShortName"),
        "credit_code": ("统一社会信用代码", "FSOCIALCRECODE"),
        "address": ("通讯地址", "FADDRESS"),
        "phone": ("联系电话", "FTEL"),
        "currency": ("结算币别", "FTRADINGCURRID"),
    },
    known={
        "group": ("客户分组", "FGroup"),
        "country": ("国家", "FCOUNTRY"),
        "org": ("使用组织", "FUseOrgId"),
        "type": ("客户类别", "FCustTypeId"),
    },
)
