"""金蝶云星空 销售订单.

The sales order list of 金蝶 K/3 Cloud 云星空 (SAL_SaleOrder, 引出), one row per entry; its
field keys (FBillNo, FAllAmount, FTaxPrice, FEntryTaxRate ...) are accepted beside the captions.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_sales_order",
    name="金蝶云星空 销售订单",
    kind="orders",
    columns={
        "order_no": ("单据编号", "FBillNo"),
        "order_date": ("日期", "FDate"),
        "customer_code": ("客户编码", "FCustId.FNumber"),
        "customer_name": ("客户", "FCustId"),
        "sku": ("物料编码", "FMaterialId"),
        "quantity": ("销售数量", "FQty"),
        "unit_price": ("单价", "FPrice"),
        "gross_unit_price": ("含税单价", "FTaxPrice"),
        "tax_rate": ("税率%", "税率(%)", "FEntryTaxRate"),
        "tax_amount": ("税额", "FEntryTaxAmount"),
        "amount": ("金额", "FAmount"),
        "gross_amount": ("价税合计", "FAllAmount"),
        "currency": ("结算币别", "FSettleCurrId"),
        "promised_date": ("要货日期", "FDeliveryDate"),
    },
    known={
        "name": ("物料名称", "FMaterialName"),
        "spec": ("规格型号",),
        "org": ("销售组织", "FSaleOrgId"),
    },
)
