"""金蝶精斗云 销货单.

The sales slip list of 金蝶精斗云 (销货单, 导出), one row per entry: products are 商品, the
customer 客户 by name.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_jingdouyun_sales",
    name="金蝶精斗云 销货单",
    kind="orders",
    columns={
        "order_no": ("单据编号",),
        "order_date": ("单据日期",),
        "customer_name": ("客户",),
        "sku": ("商品编号",),
        "quantity": ("数量",),
        "unit_price": ("单价",),
        "gross_unit_price": ("含税单价",),
        "tax_rate": ("税率(%)", "税率"),
        "tax_amount": ("税额",),
        "amount": ("金额",),
        "gross_amount": ("价税合计",),
    },
    known={
        "name": ("商品名称",),
        "spec": ("规格型号",),
        "unit": ("单位",),
        "warehouse": ("仓库",),
    },
)
