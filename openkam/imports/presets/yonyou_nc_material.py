"""用友 NC 物料档案.

The material records of 用友 NC / NC Cloud (物料基本信息, 导出), one row per material.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_nc_material",
    name="用友 NC 物料档案",
    kind="products",
    columns={
        "sku": ("物料编码",),
        "name": ("物料名称",),
        "family": ("物料基本分类",),
        "unit": ("主计量单位",),
    },
    known={
        "spec": ("规格",),
        "model": ("型号",),
        "state": ("启用状态",),
    },
)
