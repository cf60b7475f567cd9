"""SAP 交货单 (LIKP / LIPS).

SAP's outbound deliveries as a spreadsheet (SE16 / SE16N on LIKP joined with LIPS, or VL06O's
list), one row per delivery item, by technical name or English / German display name: VBELN /
POSNR the delivery and its item, VGBEL / VGPOS the sales order and item it delivers, LFIMG the
quantity delivered, WADAT_IST the actual goods issue date, LFDAT the delivery date (promised).
Display names from the data dictionary's short texts, not checked against an export.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_delivery",
    name="SAP 交货单 (LIKP/LIPS)",
    kind="deliveries",
    columns={
        "delivery_no": sap("VBELN", "Delivery", "Lieferung"),
        "delivery_line": sap("POSNR", "Item", "Position"),
        "order_no": sap("VGBEL", "Reference Document", "Referenzbeleg"),
        "line_no": sap("VGPOS", "Reference Item", "Referenzposition"),
        "sku": sap("MATNR", "Material", "Material"),
        "delivered_quantity": sap("LFIMG", "Delivery Quantity", "Liefermenge"),
        "delivered_date": sap(
            "WADAT_IST", "Act. Gds Mvmnt Date", "Ist-Warenbewegungsdatum", "Actual GI Date"
        ),
        "promised_date": sap("LFDAT", "Delivery Date", "Lieferdatum"),
    },
    known={
        "ship_to": sap("KUNNR", "Ship-to party", "Warenempfänger"),
        "shipping_point": sap("VSTEL", "Shipping Point", "Versandstelle"),
        "description": sap("ARKTX", "Description", "Bezeichnung"),
    },
)
