"""SAP 销售订单 (VA05).

SAP's list of sales orders (VA05, or SE16 on VBAK/VBAP) as a spreadsheet, one row per item: the
columns by their technical names (VBELN, POSNR ...) or their English or German display names
(data dictionary short texts). NETWR is net of VAT; MWSBP the item's tax.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_sales_order",
    name="SAP 销售订单 (VA05)",
    kind="orders",
    columns={
        "order_no": sap("VBELN", "Sales Document", "Verkaufsbeleg"),
        "line_no": sap("POSNR", "Item", "Position"),
        "order_date": sap("AUDAT", "Document Date", "Belegdatum"),
        "customer_code": sap("KUNNR", "Sold-To Party", "Auftraggeber"),
        "customer_name": sap("NAME1", "Name 1", "Name 1"),
        "sku": sap("MATNR", "Material", "Material"),
        "quantity": sap("KWMENG", "Order Quantity", "Auftragsmenge"),
        "unit_price": sap("NETPR", "Net Price", "Nettopreis"),
        "amount": sap("NETWR", "Net Value", "Nettowert"),
        "tax_amount": sap("MWSBP", "Tax Amount", "Steuerbetrag"),
        "currency": sap("WAERK", "Doc. Currency", "Belegwährung", "Document Currency"),
        "promised_date": sap(
            "VDATU", "Req. Deliv.Date", "Wunschlieferdatum", "Requested Delivery Date"
        ),
    },
    known={
        "description": sap("ARKTX", "Description", "Bezeichnung"),
        "sales_org": sap("VKORG", "Sales Organization", "Verkaufsorganisation"),
        "doc_type": sap("AUART", "Sales Document Type", "Verkaufsbelegart"),
    },
)
