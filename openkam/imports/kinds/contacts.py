"""Contacts at our accounts (联系人): keyed by the file's contact ID when it has one, else by the
account and the contact's name. Empty cells leave what we know as it is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.models import ContactKey
from openkam.imports.parsing import basic_name
from openkam.relationships.models import Contact

COLUMNS = (
    Column("contact_id", gettext_lazy("contact ID"),
           ("联系人编码", "联系人编号", "联系人id", "contact id", "contact no"), base.key),
    *base.CUSTOMER_COLUMNS,
    Column("name", pgettext_lazy("person", "name"), ("联系人", "联系人姓名", "姓名", "contact name",
                                          "contact", "name"), base.text(100), required=True),
    Column("title", gettext_lazy("title"), ("职务", "职位", "title", "job title"),
           base.text(100)),
    Column("department", gettext_lazy("department"), ("部门", "department"), base.text(100)),
    Column("phone", gettext_lazy("phone"), ("手机", "电话", "联系电话", "mobile", "phone"),
           base.text(40)),
    Column("email", gettext_lazy("email"), ("邮箱", "电子邮件", "email", "e-mail"), base.text(254)),
    Column("wechat", gettext_lazy("WeChat"), ("微信", "微信号", "wechat"), base.text(60)),
)  # fmt: skip

OPTIONAL = ("title", "department", "phone", "email", "wechat")


class ContactsKind(ImportKind):
    name = "contacts"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF,)

    def __init__(self) -> None:
        from openkam.imports.writing import HistoryWriter

        self.writer = HistoryWriter(Contact, defaults={}, key_field="contact_id")
        self.by_key: dict[str, int] = {}

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        if v.get("email") and ("@" not in v["email"] or " " in v["email"]):
            row.reject(ctx.header("email"), v["email"], _("not an email address"))
            return
        account_id = base.resolve_customer(row, ctx)
        if account_id is None:
            return
        values: dict[str, Any] = {"account_id": account_id, "name": v["name"]}
        values.update({f: v[f] for f in OPTIONAL if v.get(f)})
        contact_id = v.get("contact_id", "")
        key = contact_id or f"{account_id}/{basic_name(v['name'])}"
        row.record = {"key": key, "contact_id": contact_id, "values": values}

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        ok = [row for row in rows if row.ok]
        ids = [r.record["contact_id"] for r in ok if r.record["contact_id"]]
        known = dict(
            ContactKey.objects.filter(source=ctx.source, external_id__in=ids).values_list(
                "external_id", "contact_id"
            )
        )
        names: dict[tuple[int, str], int] = {}
        accounts = {r.record["values"]["account_id"] for r in ok}
        for stored_pk, account_id, name in Contact.objects.filter(
            account_id__in=accounts
        ).values_list("pk", "account_id", "name"):
            names.setdefault((account_id, basic_name(name)), stored_pk)
        items: list[tuple[Row, str, int | None, dict[str, Any]]] = []
        for row in ok:
            values = row.record["values"]
            pk: int | None = known.get(row.record["contact_id"]) or names.get(
                (values["account_id"], basic_name(values["name"]))
            )
            items.append((row, row.record["key"], pk, values))
        created = self.writer.upsert(items, ctx)
        keys = []
        for row, _key, pk, _values in items:
            contact = created.get(row.record["key"])
            contact_pk = contact.pk if contact is not None else pk
            contact_id = row.record["contact_id"]
            if contact_id and contact_pk and contact_id not in known:
                keys.append(ContactKey(source=ctx.source, external_id=contact_id,
                                       contact_id=contact_pk))  # fmt: skip
        ContactKey.objects.bulk_create(keys, ignore_conflicts=True)


KIND = ContactsKind
