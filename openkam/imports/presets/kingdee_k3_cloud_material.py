"""金蝶云星空 物料.

The material list of 金蝶 K/3 Cloud 云星空 (BD_MATERIAL, 引出); field keys accepted too.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_material",
    name="金蝶云星空 物料",
    kind="products",
    columns={
        "sku": ("编码", "FNumber"),
        "name": ("名称", "FName"),
        "family": ("物料分组", "FMaterialGroup"),
        "unit": ("基本单位", "FBaseUnitId"),
    },
    known={
        "spec": ("规格型号", "FSpecification"),
        "property": ("物料属性", "FErpClsID"),
        "category": ("存货类别", "FCategoryID"),
        "org": ("使用组织", "FUseOrgId"),
    },
)
