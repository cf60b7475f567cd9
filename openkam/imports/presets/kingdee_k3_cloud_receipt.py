"""金蝶云星空 收款单.

The receipt list of 金蝶 K/3 Cloud 云星空 (AR_RECEIVEBILL, 引出); the payer is 付款单位.

Sources: none found in public documentation, issues or code; every caption here is
unverified (the ERP's standard list layout as the preset was first written, not checked
against a public source or a real export).
"""

from __future__ import annotations

from openkam.imports.presets.base import Preset

PRESET = Preset(
    key="kingdee_k3_cloud_receipt",
    name="金蝶云星空 收款单",
    kind="payments",
    columns={
        "payment_no": ("单据编号", "FBillNo"),
        "payment_date": ("业务日期", "FDate"),
        "customer_name": ("付款单位", "往来单位", "FPAYUNIT"),
        "amount": ("收款金额", "实收金额", "FRECEIVEAMOUNTFOR"),
        "currency": ("币别", "FCURRENCYID"),
        "reference": ("备注", "FREMARK"),
    },
    known={
        "bill_type": ("单据类型",),
        "org": ("收款组织", "FPAYORGID"),
        "method": ("结算方式",),
    },
)
