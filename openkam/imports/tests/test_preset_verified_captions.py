"""A header row made only of the captions a preset marks as verified (each from the public
source named in the preset's docstring) is recognised as that preset and mapped to the kind's
fields; as the ERP's own list export (captions) and, where the source gives them, as an
integration writes it (field keys / technical names)."""

from __future__ import annotations

import pytest

from openkam.imports.presets import PRESETS, recognise

# preset -> (a header of verified captions, the field -> header mapping it must give)
VERIFIED: dict[str, list[tuple[str, dict[str, str]]]] = {
    "kingdee_k3_cloud_sales_order": [
        (
            "单据编号,日期,销售组织,客户,物料,数量,单价,含税单价,税率,金额,交货日期",
            {"order_no": "单据编号", "order_date": "日期", "customer_name": "客户", "sku": "物料",
             "quantity": "数量", "unit_price": "单价", "gross_unit_price": "含税单价",
             "tax_rate": "税率", "amount": "金额", "promised_date": "交货日期"},
        ),
        (
            "FBillNo,FDate,FSaleOrgId,FCustId,FMaterialId,FQty,FPrice,FTaxPrice,FTaxRate,"
            "FTaxAmount,FAmount,FAllAmount,FDeliveryDate",
            {"order_no": "FBillNo", "sku": "FMaterialId", "quantity": "FQty",
             "tax_rate": "FTaxRate", "tax_amount": "FTaxAmount", "gross_amount": "FAllAmount",
             "promised_date": "FDeliveryDate"},
        ),
    ],
    "kingdee_k3_cloud_sales_out": [
        (
            "单据编号,日期,销售组织,库存组织,客户,实收/实发数量",
            {"delivery_no": "单据编号", "delivered_date": "日期",
             "delivered_quantity": "实收/实发数量"},
        ),
        (
            "FBillNo,FDate,FSaleOrgId,FStockOrgId,FCustomerID,FMaterialID,FRealQty,FSoorDerno",
            {"delivery_no": "FBillNo", "sku": "FMaterialID", "delivered_quantity": "FRealQty",
             "order_no": "FSoorDerno"},
        ),
    ],
    "yonyou_u8_delivery": [
        (
            "发货单号,发货日期,订单号,客户编码,客户名称,币种,汇率,仓库编码,存货编码,存货名称,"
            "数量,含税单价,价税合计,税率（%）",
            {"delivery_no": "发货单号", "delivered_date": "发货日期", "order_no": "订单号",
             "sku": "存货编码", "delivered_quantity": "数量"},
        ),
    ],
    "yonyou_u8_sales_order": [
        (
            "订单号,客户编码,客户名称,币种,汇率,存货编码,存货名称,数量,无税单价,含税单价,"
            "无税金额,税额,价税合计,本币金额,税率（%）",
            {"order_no": "订单号", "customer_code": "客户编码", "sku": "存货编码",
             "quantity": "数量", "unit_price": "无税单价", "gross_unit_price": "含税单价",
             "amount": "无税金额", "tax_amount": "税额", "gross_amount": "价税合计",
             "tax_rate": "税率（%）", "currency": "币种", "exchange_rate": "汇率",
             "local_amount": "本币金额"},
        ),
    ],
    "yonyou_u9_sales_order": [
        (
            "单号,日期,客户,客户名称,价格含税,行号,料品,品名,规格,单价,数量,"
            "销售订单行.价税合计,销售订单行.税组合,交期",
            {"order_no": "单号", "customer_code": "客户", "sku": "料品",
             "gross_amount": "销售订单行.价税合计", "tax_rate": "销售订单行.税组合",
             "promised_date": "交期", "includes_tax": "价格含税"},
        ),
    ],
    "yonyou_u8_customer": [
        (
            "客户编码,客户名称,客户简称,所属分类码,所属地区码,地址,纳税人登记号,开户银行,电话,"
            "发展日期,信用额度,币种",
            {"customer_code": "客户编码", "legal_name": "客户名称", "short_name": "客户简称",
             "credit_code": "纳税人登记号", "address": "地址", "phone": "电话",
             "credit_limit": "信用额度", "customer_since": "发展日期", "currency": "币种"},
        ),
    ],
    "sap_sales_order": [
        (
            "Sales Document,Sales Document Item,Document Date (Date Received/Sent),"
            "Sold-To Party,Material Number,Short Text for Sales Order Item,"
            "Cumulative Order Quantity in Sales Units,Net Price,"
            "Net Value of the Order Item in Document Currency,Tax amount in document currency,"
            "SD Document Currency,Requested Delivery Date,Sales Organization,Sales Document Type",
            {"order_no": "Sales Document", "line_no": "Sales Document Item",
             "order_date": "Document Date (Date Received/Sent)",
             "customer_code": "Sold-To Party", "sku": "Material Number",
             "quantity": "Cumulative Order Quantity in Sales Units",
             "amount": "Net Value of the Order Item in Document Currency",
             "currency": "SD Document Currency"},
        ),
    ],
    "sap_billing": [
        (
            "Billing Document,Billing Type,Billing Date,Sold-To Party,Payer,"
            "Net Value in Document Currency,Tax Amount in Document Currency,"
            "SD Document Currency,Sales Organization",
            {"invoice_no": "Billing Document", "invoice_date": "Billing Date",
             "customer_code": "Sold-To Party", "net_amount": "Net Value in Document Currency",
             "tax_amount": "Tax Amount in Document Currency",
             "currency": "SD Document Currency"},
        ),
    ],
    "sap_delivery": [
        (
            "VBELN,POSNR,MATNR,ARKTX,LFIMG,VGBEL,VGPOS",
            {"delivery_no": "VBELN", "order_no": "VGBEL", "line_no": "VGPOS",
             "delivered_quantity": "LFIMG"},
        ),
        (
            "Delivery,Delivery Item,Material,Short text for sales order item,Delivery qty,"
            "Document number of the reference document,Item number of the reference item",
            {"delivery_no": "Delivery", "delivery_line": "Delivery Item", "sku": "Material",
             "delivered_quantity": "Delivery qty",
             "order_no": "Document number of the reference document",
             "line_no": "Item number of the reference item"},
        ),
    ],
}  # fmt: skip

CASES = [(key, header, mapping) for key, rows in VERIFIED.items() for header, mapping in rows]


@pytest.mark.parametrize(("key", "header", "mapping"), CASES)
def test_a_header_of_verified_captions_is_recognised_and_mapped(
    key: str, header: str, mapping: dict[str, str]
) -> None:
    preset = PRESETS[key]
    recognition = recognise(header.split(","), preset.kind)
    assert recognition.preset is preset, (recognition.tied, recognition.near)
    assert recognition.match is not None
    found = recognition.match.mapping
    assert {field: found.get(field) for field in mapping} == mapping


def test_every_preset_says_where_its_captions_come_from() -> None:
    for key in PRESETS:
        module = __import__(f"openkam.imports.presets.{key}", fromlist=["PRESET"])
        assert "Sources:" in (module.__doc__ or ""), key
