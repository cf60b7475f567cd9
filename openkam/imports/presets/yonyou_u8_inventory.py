"""用友 U8 存货档案.

The inventory master of 用友 U8+ (基础档案 > 存货 > 存货档案, 输出).

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_inventory",
    name="用友 U8 存货档案",
    kind="products",
    columns={
        "sku": ("存货编码",),
        "name": ("存货名称",),
        "family": ("存货分类", "存货大类名称"),
        "unit": ("主计量单位", "计量单位"),
        "standard_cost": ("参考成本",),
        "list_price": ("参考售价",),
    },
    known={
        "spec": ("规格型号",),
        "rate": ("税率", "销项税率%"),
        "unit_group": ("计量单位组",),
    },
)
