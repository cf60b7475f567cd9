"""金蝶云星空 销售出库单.

The sales issue list of 金蝶云星空 (K/3 Cloud: 供应链 > 销售管理 > 销售出库单, 引出; form
SAL_OUTSTOCK), one row per entry, by caption or field key; 订单单号 (FSOOrderNo) the sales
order it delivers. The sales order export of 云星空 gives no line number, so a line is found
by the order and the SKU.

Sources: [Q] = the form's field list (query key and caption) in chan-kinghin/Quickpulsev2,
docs/fields/SAL_OUTSTOCK_FIELDS.md; "unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_sales_out",
    name="金蝶云星空 销售出库单",
    kind="deliveries",
    columns={
        "delivery_no": ("单据编号", "FBillNo"),  # [Q]
        "delivered_date": ("日期", "FDate"),  # [Q]
        "order_no": ("订单单号", "FSOOrderNo"),  # FSOOrderNo [Q] (FSoorDerno); caption unverified
        "sku": ("物料编码", "FMaterialId"),  # FMaterialID [Q]; 物料编码 unverified
        # 实收/实发数量 (the field's caption), FRealQty [Q]; 实发数量 unverified
        "delivered_quantity": ("实发数量", "实收/实发数量", "FRealQty"),
    },
    known={
        "customer": ("客户", "FCustomerID"),  # [Q]
        "name": ("物料名称", "FMaterialName"),  # unverified
        "warehouse": ("仓库", "FStockId"),  # unverified
        "stock_org": ("发货组织", "库存组织", "FStockOrgId"),  # 库存组织, FStockOrgId [Q]
        "sales_org": ("销售组织", "FSaleOrgId"),  # [Q]
    },
)
