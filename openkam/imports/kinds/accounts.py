"""Accounts (客户档案): the customer master of an ERP.

A row is our account when the file's customer code is a key we know, else when its credit code
is an account's, else when its legal name is one account's (up to case, width and blanks). Any
other row is a new account; similar names are left to the duplicates screen, never merged here.
Empty cells leave what we know as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.matching import customer_key
from openkam.imports.models import AccountKey
from openkam.imports.parsing import basic_name
from openkam.imports.writing import HistoryWriter

REGION_WORDS = {
    "华东": "east", "east": "east", "east china": "east",
    "华南": "south", "south": "south", "south china": "south",
    "华北": "north", "north": "north", "north china": "north",
    "华中": "central", "central": "central", "central china": "central",
    "西南": "southwest", "southwest": "southwest", "southwest china": "southwest",
    "西北": "northwest", "northwest": "northwest", "northwest china": "northwest",
    "东北": "northeast", "northeast": "northeast", "northeast china": "northeast",
    "海外": "overseas", "境外": "overseas", "overseas": "overseas",
}  # fmt: skip

COLUMNS = (
    Column("customer_code", gettext_lazy("customer code"),
           ("客户编码", "客户编号", "客户代码", "客户id", "customer code", "customer id", "kunnr",
            "customer no", "customer number"), base.key),
    Column("legal_name", gettext_lazy("legal name"),
           ("客户名称", "客户全称", "公司名称", "企业名称", "customer name", "legal name",
            "company name", "name", "name1"), base.text(200), required=True),
    Column("short_name", gettext_lazy("short name"), ("客户简称", "简称", "short name"),
           base.text(100)),
    Column("credit_code", gettext_lazy("credit code"),
           ("统一社会信用代码", "信用代码", "社会信用代码", "纳税人识别号", "credit code",
            "unified social credit code", "uscc", "tax id"), base.credit_code),
    Column("region", gettext_lazy("region"), ("大区", "区域", "销售区域", "region"),
           base.choice(REGION_WORDS)),
    Column("province", gettext_lazy("province"), ("省份", "省", "province", "state"),
           base.text(40)),
    Column("city", gettext_lazy("city"), ("城市", "市", "city"), base.text(40)),
    Column("address", gettext_lazy("address"), ("地址", "注册地址", "联系地址", "address"),
           base.text(300)),
    Column("phone", gettext_lazy("phone"), ("电话", "联系电话", "phone", "telephone"),
           base.text(40)),
    Column("credit_limit", gettext_lazy("credit limit"), ("信用额度", "授信额度", "credit limit"),
           base.money()),
    Column("payment_terms_days", gettext_lazy("payment terms (days)"),
           ("账期", "账期天数", "付款天数", "payment terms", "payment terms days"),
           base.positive_int),
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "currency"), base.currency),
    Column("customer_since", gettext_lazy("customer since"),
           ("建档日期", "首次合作日期", "合作开始日期", "customer since"), base.date),
)  # fmt: skip

OPTIONAL = (
    "short_name", "credit_code", "region", "province", "city", "address", "phone", "credit_limit",
    "payment_terms_days", "currency", "customer_since",
)  # fmt: skip


class AccountsKind(ImportKind):
    name = "accounts"
    columns = COLUMNS

    def __init__(self) -> None:
        self.writer = HistoryWriter(Account, defaults={}, key_field="customer_code")
        self.claimed: dict[str, str] = {}  # credit code -> key of the row that brings it

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        values: dict[str, Any] = {"legal_name": v["legal_name"]}
        for field_name in OPTIONAL:
            if v.get(field_name) not in (None, ""):
                values[field_name] = v[field_name]
        if "currency" in values and "currency" not in ctx.headers:
            del values["currency"]
        code, credit = v.get("customer_code", ""), v.get("credit_code", "")
        by_key = ctx.accounts.known(customer_key(code, "")) if code else None
        by_credit = ctx.accounts.by_credit.get(credit) if credit else None
        if by_key and by_credit and by_key != by_credit:
            row.reject(
                ctx.header("credit_code"),
                credit,
                _("this credit code belongs to another account than the customer code"),
            )
            return  # fmt: skip
        pk = by_key or by_credit
        if pk is None and not code and not credit:
            same = ctx.accounts.by_basic.get(basic_name(v["legal_name"]), [])
            if len(same) > 1:
                row.reject(ctx.header("legal_name"), v["legal_name"],
                           _("several accounts have this name: give the customer code or the "
                             "credit code"))  # fmt: skip
                return
            pk = same[0] if same else None
        key = code or credit or basic_name(v["legal_name"])
        if credit and self.claimed.setdefault(credit, key) != key:
            row.reject(ctx.header("credit_code"), credit,
                       _("another customer of this file has this credit code"))  # fmt: skip
            return
        row.record = {"key": key, "pk": pk, "values": values, "code": code}

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        items = [(r, r.record["key"], r.record["pk"], r.record["values"]) for r in rows if r.ok]
        created = self.writer.upsert(items, ctx)
        keys = []
        for row in rows:
            if not row.ok:
                continue
            account = created.get(row.record["key"])
            pk = account.pk if account is not None else row.record["pk"]
            if account is not None:
                values = row.record["values"]
                ctx.accounts.add_account(
                    pk, values["legal_name"], values.get("short_name", ""),
                    values.get("credit_code", ""),
                )  # fmt: skip
            code = row.record["code"]
            if code and pk and ctx.accounts.known(code) is None:
                ctx.accounts.by_key[code] = pk
                keys.append(AccountKey(source=ctx.source, external_id=code, account_id=pk))
        AccountKey.objects.bulk_create(keys, ignore_conflicts=True)


KIND = AccountsKind
