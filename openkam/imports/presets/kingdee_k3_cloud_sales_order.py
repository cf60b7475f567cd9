"""金蝶云星空 销售订单.

The sales order list of 金蝶 K/3 Cloud 云星空 (SAL_SaleOrder, 引出), one row per entry; its
field keys (FBillNo, FAllAmount, FTaxPrice ...) are accepted beside the captions.

Sources: [Q] = the form's field list (query key and caption) in chan-kinghin/Quickpulsev2,
docs/fields/SAL_SaleOrder_FIELDS.md; "unverified" = not found in a public source.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_sales_order",
    name="金蝶云星空 销售订单",
    kind="orders",
    columns={
        "order_no": ("单据编号", "FBillNo"),  # [Q]
        "order_date": ("日期", "FDate"),  # [Q]
        "customer_code": ("客户编码", "FCustId.FNumber"),  # unverified
        "customer_name": ("客户", "FCustId"),  # [Q]
        # 物料, FMaterialId [Q] (its value the material's code); 物料编码 unverified
        "sku": ("物料编码", "物料", "FMaterialId"),
        "quantity": ("销售数量", "数量", "FQty"),  # 数量, FQty [Q]; 销售数量 unverified
        "unit_price": ("单价", "FPrice"),  # [Q]
        "gross_unit_price": ("含税单价", "FTaxPrice"),  # [Q]
        # 税率, FTaxRate [Q]; 税率% and FEntryTaxRate unverified
        "tax_rate": ("税率%", "税率(%)", "税率", "FTaxRate", "FEntryTaxRate"),
        "tax_amount": ("税额", "FTaxAmount", "FEntryTaxAmount"),  # FTaxAmount [Q]; rest unverified
        "amount": ("金额", "FAmount"),  # [Q]
        "gross_amount": ("价税合计", "FAllAmount"),  # FAllAmount [Q]; 价税合计 unverified
        "currency": ("结算币别", "FSettleCurrId"),  # unverified
        "promised_date": ("要货日期", "交货日期", "FDeliveryDate"),  # 交货日期 [Q]
    },
    known={
        "name": ("物料名称", "FMaterialName"),  # unverified
        "spec": ("规格型号",),  # unverified
        "org": ("销售组织", "FSaleOrgId"),  # [Q]
    },
)
