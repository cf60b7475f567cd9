"""SAP 交货单 (LIKP / LIPS).

SAP's outbound deliveries as a spreadsheet (SE16 / SE16N on LIKP joined with LIPS, or VL06O's
list), one row per delivery item, by technical name or English / German display name: VBELN /
POSNR the delivery and its item, VGBEL / VGPOS the sales order and item it delivers, LFIMG the
quantity delivered, WADAT_IST the actual goods issue date, LFDAT the delivery date (promised).

Sources: LIPS's technical names and data dictionary descriptions [D] from
https://datapanda.eu/nl/sap/table/LIPS and (VGBEL, VGPOS) https://www.sapdatasheet.org/abap/tabl/lipsd.html;
SE16's column headings of LIPS [H] ("Material", "Delivery qty") from
https://www.tcodesearch.com/sap-tables/detail?id=LIPS. The LIKP fields (WADAT_IST, LFDAT,
VSTEL, KUNNR) and the German names are unverified.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_delivery",
    name="SAP 交货单 (LIKP/LIPS)",
    kind="deliveries",
    columns={
        "delivery_no": sap("VBELN", "Delivery", "Lieferung"),  # VBELN, English [D]
        "delivery_line": sap("POSNR", "Item", "Position", "Delivery Item"),  # [D]; [H] Item
        # VGBEL and its description [D]; "Reference Document" unverified
        "order_no": sap(
            "VGBEL",
            "Reference Document",
            "Referenzbeleg",
            "Document number of the reference document",
        ),
        # VGPOS and its description [D]; "Reference Item" unverified
        "line_no": sap(
            "VGPOS", "Reference Item", "Referenzposition", "Item number of the reference item"
        ),
        "sku": sap("MATNR", "Material", "Material", "Material Number"),  # [D]; [H] Material
        # LFIMG and its description [D], "Delivery qty" [H]; "Delivery Quantity" unverified
        "delivered_quantity": sap(
            "LFIMG",
            "Delivery Quantity",
            "Liefermenge",
            "Delivery qty",
            "Actual quantity delivered (in sales units)",
        ),
        "delivered_date": sap(
            "WADAT_IST", "Act. Gds Mvmnt Date", "Ist-Warenbewegungsdatum", "Actual GI Date"
        ),  # unverified
        "promised_date": sap("LFDAT", "Delivery Date", "Lieferdatum"),  # unverified
    },
    known={
        "ship_to": sap("KUNNR", "Ship-to party", "Warenempfänger"),  # unverified
        "shipping_point": sap("VSTEL", "Shipping Point", "Versandstelle"),  # unverified
        # ARKTX and its description in the delivery item's structure,
        # https://stechno.net/repository/sap-tables.html?id=TXW_S_LIPS; "Description" unverified
        "description": sap(
            "ARKTX", "Description", "Bezeichnung", "Short text for sales order item"
        ),
    },
)
