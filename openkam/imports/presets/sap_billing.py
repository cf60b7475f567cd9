"""SAP 开票凭证清单 (VF05).

SAP's list of billing documents (VF05, or SE16 on VBRK): the net value and the tax of each
invoice (NETWR, MWSBK), added up to what the customer owes.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_billing",
    name="SAP 开票凭证清单 (VF05)",
    kind="invoices",
    columns={
        "invoice_no": sap("VBELN", "Billing Document", "Faktura"),
        "invoice_date": sap("FKDAT", "Billing Date", "Fakturadatum"),
        "customer_code": sap("KUNAG", "Sold-To Party", "Auftraggeber"),
        "net_amount": sap("NETWR", "Net Value", "Nettowert"),
        "tax_amount": sap("MWSBK", "Tax Amount", "Steuerbetrag"),
        "currency": sap("WAERK", "Doc. Currency", "Belegwährung", "Document Currency"),
    },
    known={
        "type": sap("FKART", "Billing Type", "Fakturaart"),
        "payer": sap("KUNRG", "Payer", "Regulierer"),
        "sales_org": sap("VKORG", "Sales Organization", "Verkaufsorganisation"),
    },
)
