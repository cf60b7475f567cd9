"""用友 U8 发货单.

The delivery note list of 用友 U8+ (销售管理 > 销售发货 > 发货单列表, 输出), one row per
line; 订单号 / 订单行号 name the sales order line, 发货日期 the day of the delivery, 预发货日期
the day promised. Captions from the standard layout, not checked against an export.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_delivery",
    name="用友 U8 发货单",
    kind="deliveries",
    columns={
        "delivery_no": ("发货单号",),
        "delivered_date": ("发货日期",),
        "promised_date": ("预发货日期",),
        "order_no": ("订单号", "销售订单号"),
        "line_no": ("订单行号",),
        "sku": ("存货编码",),
        "delivered_quantity": ("数量",),
    },
    known={
        "customer": ("客户简称", "客户名称"),
        "warehouse": ("仓库名称",),
        "name": ("存货名称",),
        "sales_type": ("销售类型",),
    },
)
