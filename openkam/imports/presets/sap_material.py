"""SAP 物料主数据 (MARA).

SAP's material master (MARA with MAKT, from SE16 or MM60): technical names or English / German
display names.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_material",
    name="SAP 物料主数据 (MARA)",
    kind="products",
    columns={
        "sku": sap("MATNR", "Material", "Material"),
        "name": sap("MAKTX", "Material Description", "Materialkurztext", "Materialbezeichnung"),
        "family": sap("MATKL", "Material Group", "Warengruppe"),
        "unit": sap("MEINS", "Base Unit of Measure", "Basismengeneinheit"),
        "standard_cost": sap("STPRS", "Standard price", "Standardpreis"),
    },
    known={
        "type": sap("MTART", "Material Type", "Materialart"),
        "plant": sap("WERKS", "Plant", "Werk"),
    },
)
