"""用友 U8 发货单.

The delivery note list of 用友 U8+ (销售管理 > 销售发货 > 发货单列表, 输出), one row per
line; 订单号 / 订单行号 name the sales order line, 发货日期 the day of the delivery, 预发货日期
the day promised.

Sources: [C] = the 发货单 card's item names (表头 / 表体 caption with its column, cDLCode,
dDate, cSOCode, cInvCode, iQuantity ...) in an integration's field map, niumowang/U8,
SQL/Data_Data_CQ_DispatchList_Field_NL.sql; "unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="yonyou_u8_delivery",
    name="用友 U8 发货单",
    kind="deliveries",
    columns={
        "delivery_no": ("发货单号",),  # [C] cDLCode
        "delivered_date": ("发货日期",),  # [C] dDate
        "promised_date": ("预发货日期",),  # unverified
        "order_no": ("订单号", "销售订单号"),  # 订单号 [C] cSOCode; 销售订单号 unverified
        "line_no": ("订单行号",),  # unverified
        "sku": ("存货编码",),  # [C] cInvCode
        "delivered_quantity": ("数量",),  # [C] iQuantity
    },
    known={
        "customer": ("客户简称", "客户名称", "客户编码"),  # 客户名称, 客户编码 [C]
        "warehouse": ("仓库名称", "仓库编码"),  # 仓库编码 [C] cWhCode; 仓库名称 unverified
        "name": ("存货名称",),  # [C] cInvName
        "sales_type": ("销售类型", "销售类型编码"),  # 销售类型编码 [C] cSTCode
    },
)
