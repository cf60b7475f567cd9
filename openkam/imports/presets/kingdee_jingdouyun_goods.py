"""金蝶精斗云 商品.

The goods list of 金蝶精斗云 (资料 > 商品, 导出), one row per good: 商品编号 as in its sales
slips.
Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_jingdouyun_goods",
    name="金蝶精斗云 商品",
    kind="products",
    columns={
        "sku": ("商品编号",),
        "name": ("商品名称",),
        "family": ("商品类别",),
        "unit": ("单位", "计量单位"),
        "standard_cost": ("预计采购价",),
        "list_price": ("零售价",),
    },
    known={
        "spec": ("规格型号",),
        "barcode": ("条形码",),
    },
)
