"""金蝶云星空 销售出库单.

The sales issue list of 金蝶云星空 (K/3 Cloud: 供应链 > 销售管理 > 销售出库单, 引出; form
SAL_OUTSTOCK), one row per entry, by caption or field key: 单据编号 (FBillNo), 日期 (FDate),
物料编码 (FMaterialId), 实发数量 (FRealQty) as the integration docs name them; 订单单号
(FSOOrderNo) the sales order it delivers. The sales order export of 云星空 gives no line number,
so a line is found by the order and the SKU.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_sales_out",
    name="金蝶云星空 销售出库单",
    kind="deliveries",
    columns={
        "delivery_no": ("单据编号", "FBillNo"),
        "delivered_date": ("日期", "FDate"),
        "order_no": ("订单单号", "FSOOrderNo"),
        "sku": ("物料编码", "FMaterialId"),
        "delivered_quantity": ("实发数量", "FRealQty"),
    },
    known={
        "customer": ("客户", "FCustomerID"),
        "name": ("物料名称", "FMaterialName"),
        "warehouse": ("仓库", "FStockId"),
        "stock_org": ("发货组织", "FStockOrgId"),
        "sales_org": ("销售组织", "FSaleOrgId"),
    },
)
