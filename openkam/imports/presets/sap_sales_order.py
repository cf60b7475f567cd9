"""SAP 销售订单 (VA05).

SAP's list of sales orders (VA05, or SE16 on VBAK/VBAP) as a spreadsheet, one row per item: the
columns by their technical names (VBELN, POSNR ...) or their English or German display names
(data dictionary short texts). NETWR is net of VAT; MWSBP the item's tax.

Sources: technical names and the data dictionary's English descriptions [D] of VBAK from
https://summit-bi.com/resources/sap-reference/tables/VBAK and of VBAP from
https://summit-bi.com/resources/sap-reference/tables/VBAP (MWSBP "Tax amount in document
currency": https://stechno.net/repository/sap-tables.html?id=VBRL); the shorter ALV column
headings and the German names are unverified.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_sales_order",
    name="SAP 销售订单 (VA05)",
    kind="orders",
    columns={
        "order_no": sap("VBELN", "Sales Document", "Verkaufsbeleg"),  # VBELN, English [D]
        # POSNR and "Sales Document Item" [D]; "Item" unverified
        "line_no": sap("POSNR", "Item", "Position", "Sales Document Item"),
        # AUDAT [D] ("Document Date (Date Received/Sent)"); "Document Date" unverified
        "order_date": sap(
            "AUDAT", "Document Date", "Belegdatum", "Document Date (Date Received/Sent)"
        ),
        "customer_code": sap("KUNNR", "Sold-To Party", "Auftraggeber"),  # KUNNR, English [D]
        "customer_name": sap("NAME1", "Name 1", "Name 1"),  # unverified
        "sku": sap(
            "MATNR", "Material", "Material", "Material Number"
        ),  # MATNR, "Material Number" [D]
        # KWMENG and its description [D]; "Order Quantity" unverified
        "quantity": sap(
            "KWMENG", "Order Quantity", "Auftragsmenge", "Cumulative Order Quantity in Sales Units"
        ),
        "unit_price": sap("NETPR", "Net Price", "Nettopreis"),  # NETPR, English [D]
        # NETWR and its description [D]; "Net Value" unverified
        "amount": sap(
            "NETWR", "Net Value", "Nettowert", "Net Value of the Order Item in Document Currency"
        ),
        # MWSBP and its description [D]; "Tax Amount" unverified
        "tax_amount": sap("MWSBP", "Tax Amount", "Steuerbetrag", "Tax amount in document currency"),
        # WAERK and "SD Document Currency" [D]; the others unverified
        "currency": sap(
            "WAERK", "Doc. Currency", "Belegwährung", "Document Currency", "SD Document Currency"
        ),
        # VDATU, "Requested Delivery Date" [D]; the others unverified
        "promised_date": sap(
            "VDATU", "Req. Deliv.Date", "Wunschlieferdatum", "Requested Delivery Date"
        ),
    },
    known={
        # ARKTX and its description [D]; "Description" unverified
        "description": sap(
            "ARKTX", "Description", "Bezeichnung", "Short Text for Sales Order Item"
        ),
        "sales_org": sap("VKORG", "Sales Organization", "Verkaufsorganisation"),  # [D]
        "doc_type": sap("AUART", "Sales Document Type", "Verkaufsbelegart"),  # [D]
    },
)
