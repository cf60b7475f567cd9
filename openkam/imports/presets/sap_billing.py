"""SAP 开票凭证清单 (VF05).

SAP's list of billing documents (VF05, or SE16 on VBRK): the net value and the tax of each
invoice (NETWR, MWSBK), added up to what the customer owes.

Sources: technical names and the data dictionary's English descriptions of VBRK [D] from
https://summit-bi.com/resources/sap-reference/tables/VBRK and
https://datapanda.eu/nl/sap/table/VBDKR (FKDAT "Billing Date"); the shorter ALV column
headings and the German names are unverified.
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset, sap

PRESET = Preset(
    key="sap_billing",
    name="SAP 开票凭证清单 (VF05)",
    kind="invoices",
    columns={
        "invoice_no": sap("VBELN", "Billing Document", "Faktura"),  # VBELN, English [D]
        "invoice_date": sap("FKDAT", "Billing Date", "Fakturadatum"),  # FKDAT, English [D]
        "customer_code": sap("KUNAG", "Sold-To Party", "Auftraggeber"),  # KUNAG, English [D]
        # NETWR and "Net Value in Document Currency" [D]; "Net Value" unverified
        "net_amount": sap("NETWR", "Net Value", "Nettowert", "Net Value in Document Currency"),
        # MWSBK and "Tax Amount in Document Currency" [D]; "Tax Amount" unverified
        "tax_amount": sap("MWSBK", "Tax Amount", "Steuerbetrag", "Tax Amount in Document Currency"),
        # WAERK and "SD Document Currency" [D]; the others unverified
        "currency": sap(
            "WAERK", "Doc. Currency", "Belegwährung", "Document Currency", "SD Document Currency"
        ),
    },
    known={
        "type": sap("FKART", "Billing Type", "Fakturaart"),  # FKART, English [D]
        "payer": sap("KUNRG", "Payer", "Regulierer"),  # KUNRG, English [D]
        "sales_org": sap("VKORG", "Sales Organization", "Verkaufsorganisation"),  # [D]
    },
)
