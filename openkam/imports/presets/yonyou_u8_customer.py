"""用友 U8 客户档案.

The customer master of 用友 U8+ (基础档案 > 客商信息 > 客户档案, 输出).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_customer",
    name="用友 U8 客户档案",
    kind="accounts",
    columns={
        "customer_code": ("客户编码",),
        "legal_name": ("客户名称",),
        "short_name": ("客户简称",),
        "credit_code": ("税号",),
        "address": ("地址",),
        "phone": ("电话",),
        "credit_limit": ("信用额度",),
        "customer_since": ("发展日期",),
        "currency": ("币种",),
    },
    known={
        "class": ("所属分类", "所属分类码"),
        "area": ("所属地区", "地区编码"),
        "bank": ("开户银行",),
    },
)
