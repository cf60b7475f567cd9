"""用友 U8 客户档案.

The customer master of 用友 U8+ (基础档案 > 客商信息 > 客户档案, 输出).

Sources: [A] = the customer archive's fields with their captions in the U8 OpenAPI notes of
Ly2JR/neverland, src/tools/yonyou/u8/archives/customer.md (code 客户编码, name 客户名称 ...);
"unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_customer",
    name="用友 U8 客户档案",
    kind="accounts",
    columns={
        "customer_code": ("客户编码",),  # [A] code
        "legal_name": ("客户名称",),  # [A] name
        "short_name": ("客户简称",),  # [A] abbrname
        "credit_code": ("税号", "纳税人登记号"),  # 纳税人登记号 [A] tax_reg_code; 税号 unverified
        "address": ("地址",),  # [A] address
        "phone": ("电话",),  # [A] phone
        "credit_limit": ("信用额度",),  # [A] credit_amount
        "customer_since": ("发展日期",),  # [A] seed_date
        "currency": ("币种",),  # [A] ccusexch_name
    },
    known={
        "class": ("所属分类", "所属分类码"),  # 所属分类码 [A] sort_code; 所属分类 unverified
        # 所属地区码 [A] domain_code; the others unverified
        "area": ("所属地区", "地区编码", "所属地区码"),
        "bank": ("开户银行",),  # [A] bank_open
    },
)
