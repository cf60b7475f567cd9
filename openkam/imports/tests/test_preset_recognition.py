"""Each ERP export is recognised from its header row alone: a header as the ERP writes it (with
the extra columns a real export has) is recognised as its preset, and its mapping gives the
kind every column it needs; ties and near misses recognise nothing and say so."""

from __future__ import annotations

import pytest

from openkam.imports import presets
from openkam.imports.kinds import KINDS
from openkam.imports.presets import PRESETS, recognise
from openkam.imports.presets.base import Preset

# Header rows as the ERPs write them, each with columns no preset reads.
HEADERS = {
    "yonyou_u8_sales_order": (
        "订单号,订单日期,业务类型,销售类型,客户编码,客户简称,销售部门,业务员,币种,汇率,"
        "存货编码,存货名称,规格型号,主计量,数量,报价,含税单价,无税单价,无税金额,税额,"
        "价税合计,税率（%）,扣率（%）,预发货日期"
    ),
    "yonyou_u9_sales_order": (
        "单号,日期,客户,客户名称,业务员,价格含税,币种,行号,料品,品名,规格,单价,数量,"
        "销售订单行.价税合计,销售订单行.税组合,交期,状态"
    ),
    "yonyou_nc_sales_order": (
        "单据号,单据日期,销售组织,客户编码,客户名称,行号,物料编码,物料名称,规格,型号,"
        "主单位,主数量,主含税单价,主无税单价,无税金额,税额,价税合计,税率,原币,"
        "计划发货日期"
    ),
    "yonsuite_sales_order": (
        "单据编号,单据日期,销售组织,客户编码,客户名称,交易类型,行号,物料编码,物料名称,"
        "规格说明,销售数量,含税单价,无税单价,含税金额,无税金额,税额,税率(%),币种,"
        "希望到货日期"
    ),
    "kingdee_k3_wise_sales_order": (
        "日期,编号,购货单位,部门,业务员,产品代码,产品名称,规格型号,单位,数量,单价,"
        "含税单价,金额,税率(%),销项税额,价税合计,交货日期,币别,审核标志"
    ),
    "kingdee_k3_cloud_sales_order": (
        "单据编号,日期,销售组织,客户,销售员,物料编码,物料名称,规格型号,销售单位,销售数量,"
        "单价,含税单价,税率%,税额,金额,价税合计,要货日期,结算币别,单据状态"
    ),
    "kingdee_jingdouyun_sales": (
        "单据日期,单据编号,客户,销售人员,商品编号,商品名称,规格型号,单位,仓库,数量,单价,"
        "含税单价,折扣率(%),税率(%),税额,金额,价税合计,备注"
    ),
    "sap_sales_order": (
        "VBELN,POSNR,AUART,VKORG,AUDAT,KUNNR,NAME1,MATNR,ARKTX,KWMENG,VRKME,NETPR,NETWR,"
        "MWSBP,WAERK,VDATU"
    ),
    "yonyou_u8_customer": (
        "客户编码,客户名称,客户简称,所属分类,所属地区,税号,开户银行,银行账号,地址,电话,"
        "联系人,信用额度,发展日期,币种"
    ),
    "kingdee_k3_cloud_customer": (
        "编码,名称,简称,客户分组,国家,通讯地址,联系电话,统一社会信用代码,结算币别,"
        "客户类别,创建组织,使用组织,数据状态"
    ),
    "sap_customer": ("KUNNR,LAND1,NAME1,ORT01,PSTLZ,REGIO,STRAS,TELF1,STCD1,KTOKD,ERDAT"),
    "yonyou_u8_inventory": (
        "存货编码,存货名称,规格型号,存货分类,计量单位组,主计量单位,参考成本,参考售价,税率,启用日期"
    ),
    "kingdee_k3_cloud_material": (
        "编码,名称,规格型号,物料分组,物料属性,存货类别,基本单位,使用组织,数据状态"
    ),
    "sap_material": ("MATNR,MAKTX,MTART,MATKL,MEINS,WERKS,STPRS,BRGEW"),
    "yonyou_u8_sales_invoice": (
        "发票号,发票类型,开票日期,客户编码,客户简称,销售部门,业务员,销售类型,订单号,币种,"
        "无税金额,税额,价税合计,备注"
    ),
    "kingdee_k3_cloud_sales_invoice": (
        "单据编号,发票号码,业务日期,开票日期,单据类型,结算组织,客户,币别,不含税金额,税额,"
        "价税合计,发票类型"
    ),
    "sap_billing": ("VBELN,FKART,VKORG,FKDAT,KUNRG,KUNAG,NETWR,MWSBK,WAERK,ERNAM"),
    "yonyou_u8_receipt": (
        "单据编号,单据日期,客户,部门,业务员,结算方式,币种,汇率,金额,本币金额,摘要"
    ),
    "kingdee_k3_cloud_receipt": (
        "单据编号,业务日期,单据类型,往来单位,付款单位,收款组织,结算方式,币别,收款金额,实收金额,备注"
    ),
    "sap_receipt": ("BUKRS,KUNNR,BELNR,BLART,BUDAT,DMBTR,WAERS,ZUONR,AUGBL"),
    "yonyou_u8_sales_out": (
        "出库单号,出库日期,仓库,出库类别,客户,订单号,订单行号,发货单号,存货编码,存货名称,"
        "规格型号,主计量单位,数量,单价,金额"
    ),
    "yonyou_u8_delivery": (
        "发货单号,发货日期,预发货日期,客户简称,销售类型,销售部门,订单号,订单行号,存货编码,"
        "存货名称,仓库名称,数量,含税单价,价税合计"
    ),
    "kingdee_k3_cloud_sales_out": (
        "单据编号,日期,单据类型,销售组织,发货组织,客户,订单单号,物料编码,物料名称,规格型号,"
        "库存单位,实发数量,仓库,批号"
    ),
    "yonyou_u9_customer": (
        "编码,名称,简称,税号,币种,信用额度,客户分类,收款条件,所属组织,制单人,审核人"
    ),
    "yonyou_u9_material": (
        "料号,品名,料品分类,库存主单位,标准成本,规格,料品形态属性,制单人,审核人"
    ),
    "yonyou_u9_sales_invoice": (
        "发票号,业务日期,到期日,客户,客户名称,价税合计,未税金额,税额,币种,单号,收款条件,立账日期,制单人,审核人"
    ),
    "yonyou_u9_receipt": (
        "单号,业务日期,客户,客户名称,本币金额,币种,备注,收款用途,银行账号,汇率,制单人,审核人"
    ),
    "yonyou_nc_customer": (
        "客户编码,客户名称,客户简称,纳税人登记号,电话,客户基本分类,国家/地区,所属组织,启用状态,制单人,审核人"
    ),
    "yonyou_nc_material": (
        "物料编码,物料名称,物料基本分类,主计量单位,规格,型号,启用状态,制单人,审核人"
    ),
    "yonyou_nc_sales_invoice": (
        "发票号,开票日期,开票客户,价税合计,无税金额,税额,原币,单据号,开票组织,发票类型,制单人,审核人"
    ),
    "yonyou_nc_receipt": (
        "单据号,单据日期,客户,本币金额,币种,摘要,财务组织,结算方式,收款银行账户,汇率,制单人,审核人"
    ),
    "yonsuite_customer": (
        "客户编码,客户名称,客户简称,统一社会信用代码,联系电话,客户分类,管理组织,客户级别,制单人,审核人"
    ),
    "yonsuite_material": (
        "物料编码,物料名称,物料分类,主计量单位,规格说明,型号,助记码,制单人,审核人"
    ),
    "yonsuite_sales_invoice": (
        "发票号码,开票日期,客户编码,客户名称,含税金额,无税金额,税额,币种,单据编号,开票组织,发票类型,制单人,审核人"
    ),
    "yonsuite_receipt": (
        "单据编号,单据日期,客户,本币金额,币种,备注,会计主体,结算方式,款项类型,汇率,制单人,审核人"
    ),
    "kingdee_k3_wise_customer": (
        "代码,全名,简称,税务登记号,地址,电话,区域,行业,状态,制单人,审核人"
    ),
    "kingdee_k3_wise_material": (
        "代码,名称,基本计量单位,单位标准成本,销售单价,规格型号,物料属性,计划单价,制单人,审核人"
    ),
    "kingdee_k3_wise_sales_invoice": (
        "发票号码,日期,购货单位,价税合计,金额,税额,币别,收款日期,部门,业务员,审核标志,制单人,审核人"
    ),
    "kingdee_k3_wise_receipt": (
        "单据号,单据日期,核算项目,单据金额(本位币),币别,摘要,结算方式,汇率,核算项目类别,制单人,审核人"
    ),
    "kingdee_jingdouyun_customer": (
        "客户编号,客户名称,纳税人识别号,联系地址,手机,客户类别,联系人,期初应收款,制单人,审核人"
    ),
    "kingdee_jingdouyun_goods": (
        "商品编号,商品名称,商品类别,单位,预计采购价,零售价,规格型号,条形码,制单人,审核人"
    ),
    "kingdee_jingdouyun_sales_invoice": (
        "发票号码,开票日期,客户,价税合计,金额,税额,源单号,单据编号,发票类型,销售人员,制单人,审核人"
    ),
    "kingdee_jingdouyun_receipt": (
        "单据编号,单据日期,客户,收款金额,备注,结算账户,结算方式,收款人,制单人,审核人"
    ),
    "sap_delivery": (
        "VBELN,POSNR,LFART,VSTEL,KUNNR,VGBEL,VGPOS,MATNR,ARKTX,LFIMG,VRKME,LFDAT,WADAT_IST"
    ),
}

# SAP lists show the display names in the user's language, or the technical names.
SAP_DISPLAY = {
    "sap_sales_order": [
        "Sales Document,Item,Sales Document Type,Sales Organization,Document Date,Sold-To Party,"
        "Name 1,Material,Description,Order Quantity,Sales Unit,Net Price,Net Value,Tax Amount,"
        "Doc. Currency,Req. Deliv.Date",
        "Verkaufsbeleg,Position,Verkaufsbelegart,Verkaufsorganisation,Belegdatum,Auftraggeber,"
        "Name 1,Material,Bezeichnung,Auftragsmenge,VME,Nettopreis,Nettowert,Steuerbetrag,"
        "Belegwährung,Wunschlieferdatum",
    ],
    "sap_billing": [
        "Billing Document,Billing Type,Sales Organization,Billing Date,Payer,Sold-To Party,"
        "Net Value,Tax Amount,Doc. Currency,Created By",
        "Faktura,Fakturaart,Verkaufsorganisation,Fakturadatum,Regulierer,Auftraggeber,Nettowert,"
        "Steuerbetrag,Belegwährung,Angelegt von",
    ],
    "sap_customer": [
        "Customer,Country,Name 1,City,Postal Code,Region,Street,Telephone 1,Tax Number 1,"
        "Account group",
        "Kunde,Land,Name 1,Ort,Postleitzahl,Region,Straße,Telefon 1,Steuernummer 1,Kontengruppe",
    ],
    "sap_material": [
        "Material,Material Description,Material Type,Material Group,Base Unit of Measure,Plant,"
        "Standard price",
        "Material,Materialkurztext,Materialart,Warengruppe,Basismengeneinheit,Werk,Standardpreis",
    ],
    "sap_delivery": [
        "Delivery,Item,Shipping Point,Ship-to party,Reference Document,Reference Item,Material,"
        "Description,Delivery Quantity,Delivery Date,Act. Gds Mvmnt Date",
        "Lieferung,Position,Versandstelle,Warenempfänger,Referenzbeleg,Referenzposition,Material,"
        "Bezeichnung,Liefermenge,Lieferdatum,Ist-Warenbewegungsdatum",
    ],
    "sap_receipt": [
        "Company Code,Account,Document Number,Document Type,Posting Date,"
        "Amount in local currency,Currency,Assignment,Clearing Document",
        "Buchungskreis,Konto,Belegnummer,Belegart,Buchungsdatum,Betrag in Hauswährung,Währung,"
        "Zuordnung,Ausgleichsbeleg",
    ],
}


def test_every_preset_has_a_header_row_here() -> None:
    assert set(HEADERS) == set(PRESETS)


@pytest.mark.parametrize("key", sorted(HEADERS))
def test_the_erps_header_row_is_recognised_as_its_preset(key: str) -> None:
    preset = PRESETS[key]
    found = recognise(HEADERS[key].split(","), preset.kind)
    assert found.preset is preset, (found.tied, found.near)


@pytest.mark.parametrize(
    ("key", "header"), [(key, header) for key, rows in SAP_DISPLAY.items() for header in rows]
)
def test_sap_display_names_in_english_and_german_are_recognised(key: str, header: str) -> None:
    preset = PRESETS[key]
    found = recognise(header.split(","), preset.kind)
    assert found.preset is preset
    assert found.match is not None
    assert set(found.match.mapping) == set(preset.columns)


@pytest.mark.parametrize("key", sorted(HEADERS))
def test_the_presets_mapping_gives_its_kind_every_column_it_needs(key: str) -> None:
    preset = PRESETS[key]
    kind = KINDS[preset.kind]
    match = preset.match(HEADERS[key].split(","))
    fields = set(match.mapping)
    assert {c.field for c in kind.columns if c.required} <= fields
    assert all(fields & set(group) for group in kind.one_of)
    assert fields <= {c.field for c in kind.columns}


def test_the_u9_header_maps_the_customer_code_and_the_gross_columns() -> None:
    match = PRESETS["yonyou_u9_sales_order"].match(HEADERS["yonyou_u9_sales_order"].split(","))
    assert match.mapping["customer_code"] == "客户"
    assert match.mapping["gross_amount"] == "销售订单行.价税合计"
    assert match.mapping["includes_tax"] == "价格含税"
    assert match.mapping["tax_rate"] == "销售订单行.税组合"


def test_a_header_naming_too_few_of_a_presets_columns_is_a_near_miss() -> None:
    # Half of the U9 export's columns: close to it, not recognised.
    header = ["单号", "日期", "客户", "客户名称", "价格含税", "行号", "料品", "其他1", "其他2"]
    found = recognise(header, "orders")
    assert found.preset is None
    assert found.near is not None
    assert found.near.preset.key == "yonyou_u9_sales_order"
    assert "单价" in found.near.missing


def test_two_presets_fitting_a_header_equally_are_a_tie_and_neither_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two exports with the same captions, one reading 客户 as the code, one as the name.
    columns = {"order_no": ("单号",), "order_date": ("日期",), "sku": ("料品",),
               "quantity": ("数量",), "amount": ("金额",)}  # fmt: skip
    one = Preset("one", "ERP 一 销售订单", "orders", {**columns, "customer_code": ("客户",)})
    two = Preset("two", "ERP 二 销售订单", "orders", {**columns, "customer_name": ("客户",)})
    monkeypatch.setattr(presets, "PRESETS", {"one": one, "two": two})
    found = recognise(["单号", "日期", "客户", "料品", "数量", "金额"], "orders")
    assert found.preset is None
    assert [m.preset.key for m in found.tied] == ["one", "two"]


def test_a_plain_file_is_recognised_as_nothing() -> None:
    header = [
        "订单号",
        "行号",
        "下单日期",
        "客户编码",
        "客户名称",
        "产品编码",
        "数量",
        "单价",
        "金额",
    ]
    found = recognise(header, "orders")
    assert found.preset is None
    assert found.tied == []


def test_a_customer_master_given_as_orders_is_named_for_what_it_is() -> None:
    found = recognise(HEADERS["yonyou_u8_customer"].split(","), "orders")
    assert found.preset is None
    assert found.other_kind is not None
    assert found.other_kind.preset.key == "yonyou_u8_customer"
