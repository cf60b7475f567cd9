"""用友 U8 销售出库单.

The sales issue list of 用友 U8+ (库存管理 > 出库业务 > 销售出库单列表, 输出), one row per
issued line; 订单号 / 订单行号 name the sales order line it delivers, 出库日期 the day the goods
left. Captions from the standard layout, not checked against an export.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_sales_out",
    name="用友 U8 销售出库单",
    kind="deliveries",
    columns={
        "delivery_no": ("出库单号",),
        "delivered_date": ("出库日期",),
        "order_no": ("订单号", "销售订单号"),
        "line_no": ("订单行号",),
        "sku": ("存货编码",),
        "delivered_quantity": ("数量",),
    },
    known={
        "delivery_note": ("发货单号",),
        "customer": ("客户", "客户简称"),
        "warehouse": ("仓库",),
        "name": ("存货名称",),
        "spec": ("规格型号",),
    },
)
