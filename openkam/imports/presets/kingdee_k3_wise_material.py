"""金蝶 K/3 WISE 物料.

The item records of 金蝶 K/3 WISE (基础资料 > 物料, 引出), one row per item.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_wise_material",
    name="金蝶 K/3 WISE 物料",
    kind="products",
    columns={
        "sku": ("代码",),
        "name": ("名称",),
        "unit": ("基本计量单位",),
        "standard_cost": ("单位标准成本",),
        "list_price": ("销售单价",),
    },
    known={
        "spec": ("规格型号",),
        "kind": ("物料属性",),
        "plan": ("计划单价",),
    },
)
