"""SAP 客户主数据 (KNA1).

SAP's customer master (general data, table KNA1, from SE16 or XD03 lists): technical names or
English / German display names. The tax numbers (STCD1) are not read as credit codes: outside
China they are something else.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_customer",
    name="SAP 客户主数据 (KNA1)",
    kind="accounts",
    columns={
        "customer_code": sap("KUNNR", "Customer", "Kunde"),
        "legal_name": sap("NAME1", "Name 1", "Name 1", "Name"),
        "city": sap("ORT01", "City", "Ort"),
        "address": sap("STRAS", "Street", "Straße", "Street and House Number"),
        "phone": sap("TELF1", "Telephone 1", "Telefon 1"),
    },
    known={
        "country": sap("LAND1", "Country", "Land", "Country Key", "Länderschlüssel"),
        "postcode": sap("PSTLZ", "Postal Code", "Postleitzahl"),
        "region": sap("REGIO", "Region", "Region"),
        "group": sap("KTOKD", "Account group", "Kontengruppe"),
        "tax": sap("STCD1", "Tax Number 1", "Steuernummer 1"),
    },
)
