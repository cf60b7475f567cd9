"""用友 U9 料品.

The item master of 用友 U9 cloud (料品, 导出), one row per item: 料号, 品名, 料品分类.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u9_material",
    name="用友 U9 料品",
    kind="products",
    columns={
        "sku": ("料号",),
        "name": ("品名",),
        "family": ("料品分类",),
        "unit": ("库存主单位", "主单位"),
        "standard_cost": ("标准成本",),
    },
    known={
        "spec": ("规格",),
        "form": ("料品形态属性",),
    },
)
