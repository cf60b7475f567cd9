"""SAP 客户收款 (FBL5N).

SAP's customer line items (FBL5N) filtered to payments: a payment credits the customer's
account, so SAP shows it negative; it is read as a positive receipt (a refund stays negative).

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_receipt",
    name="SAP 客户收款 (FBL5N)",
    kind="payments",
    columns={
        "payment_no": sap("BELNR", "Document Number", "Belegnummer", "DocumentNo"),
        "payment_date": sap("BUDAT", "Posting Date", "Buchungsdatum", "Pstng Date"),
        "customer_code": sap("KUNNR", "Account", "Konto", "Customer"),
        "amount": sap(
            "DMBTR",
            "Amount in local currency",
            "Betrag in Hauswährung",
            "Amount in LC",
            "Betrag in HW",
        ),
        "reference": sap("ZUONR", "Assignment", "Zuordnung"),
    },
    known={
        "doc_type": sap("BLART", "Document Type", "Belegart", "Type", "Art"),
        "clearing": sap("AUGBL", "Clearing Document", "Ausgleichsbeleg", "Clrng doc."),
        "currency": sap("WAERS", "Currency", "Währung", "LCurr", "HWähr"),
    },
    negated=("amount",),
)
