"""What a person needs to prepare a file of a kind: each column's label, whether it is needed,
the captions it is recognised by (Chinese and English), its format and an example; the header
rows of the template downloads; and a field named by its label as well as by its name.

Everything is read from the kinds' columns (``kinds/*.py``): a column added there appears here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from openkam.imports import presets
from openkam.imports.kinds import KINDS, base
from openkam.imports.kinds.base import Column, ImportKind
from openkam.imports.parsing import normalise_header

# Examples that say more than their format's (a code's, a text's).
EXAMPLES = {
    "customer_code": "C-0001", "customer_name": "上海东方电梯有限公司",
    "legal_name": "上海东方电梯有限公司", "short_name": "东方电梯",
    "credit_code": "91350100M000100Y43", "order_no": "SO-2024-0001", "line_no": "1",
    "line_id": "SO-2024-0001-1", "sku": "M-100", "name": "曳引机", "product_name": "曳引机",
    "quantity": "10", "unit_price": "1,250.00", "invoice_no": "INV-2024-0001",
    "payment_no": "RC-2024-0001", "reference": "银行流水 20240305", "exchange_rate": "7.10",
    "family": "驱动部件", "unit": "台", "province": "上海", "city": "上海",
    "address": "上海市浦东新区张江路 1 号", "phone": "021-5080 0000", "contact_name": "王建国",
    "title": "采购总监", "email": "wang@example.com", "year": "2024", "note": "年度物流费",
    "payment_terms_days": "60", "currency": "CNY", "local_currency": "CNY", "tax_rate": "13%",
    "delivery_no": "DN-2024-0001",
}  # fmt: skip


def _chinese(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


@dataclass(frozen=True)
class ColumnRef:
    """One column of a kind, as the upload page lists it."""

    field: str
    label: str
    required: bool
    one_of: bool  # one of a group of columns is needed
    need: str  # "required", "one of …", "optional"
    captions_zh: tuple[str, ...]
    captions_en: tuple[str, ...]
    format: str
    example: str


def _format(column: Column) -> tuple[str, str]:
    """The format of the column's cells in words, and an example."""
    parse = column.parse
    choices = getattr(parse, "choices", None)
    if choices:
        return _("one of: %(choices)s") % {"choices": joined(choices[:6])}, choices[0]
    if parse is base.date:
        return _("a date: 2024-03-05, 2024/3/5 or 2024年3月5日"), "2024-03-05"
    if isinstance(parse, base.Positive):
        return _("a number above zero"), "7.10"
    if isinstance(parse, base.NonZero):
        return _("a number, not zero (negative for a return)"), "10"
    if isinstance(parse, base.Money):
        return _("a number: 1234.56 or 1,234.56"), "1,234.56"
    if isinstance(parse, base.Text):
        return _("text, up to %(max)s characters") % {"max": parse.max_length}, ""
    if parse is base.key:
        return _("a code, as the ERP writes it"), ""
    if parse is base.credit_code:
        return _("18 characters with a check digit"), "91350100M000100Y43"
    if parse is base.tax_rate:
        return _("13%, 0.13 or 增值税13%"), "13%"
    if parse is base.currency:
        return _("CNY, USD, 人民币, 美元 …; empty: the company currency"), "CNY"
    if parse is base.year:
        return _("a year"), "2024"
    if parse is base.positive_int:
        return _("a whole number"), "30"
    return "", ""


def kind_reference(kind: type[ImportKind] | str) -> list[ColumnRef]:
    """The columns of the kind, in the active language, the needed ones first."""
    importer = KINDS[kind] if isinstance(kind, str) else kind
    groups = {f: group for group in importer.one_of for f in group}
    labels = {column.field: str(column.label) for column in importer.columns}
    refs = []
    for column in importer.columns:
        group = groups.get(column.field)
        if column.required:
            need = _("required")
        elif group is not None:
            others = " / ".join(labels[f] for f in group)
            need = _("one of: %(fields)s") % {"fields": others}
        else:
            need = _("optional")
        described, example = _format(column)
        refs.append(
            ColumnRef(
                field=column.field,
                label=str(column.label),
                required=column.required,
                one_of=group is not None,
                need=need,
                captions_zh=tuple(h for h in column.headers if _chinese(h))[:5],
                captions_en=tuple(h for h in column.headers if not _chinese(h))[:5],
                format=described,
                example=EXAMPLES.get(column.field, example),
            )
        )
    return sorted(refs, key=lambda r: (not r.required, r.field not in groups))


def template_headers(kind: str, language: str) -> list[str]:
    """The header row of the kind's template: each column's first Chinese caption ("zh") or
    first English one ("en"), all of them recognised by the import. Where the row would read as
    an ERP's export whose own column of that caption is another field (用友's 金额), the
    column's next caption is taken."""
    refs = kind_reference(kind)
    chinese = language.startswith("zh")
    choices = [list((ref.captions_zh if chinese else ref.captions_en) or (ref.field,))
               for ref in refs]  # fmt: skip
    picked = [0] * len(refs)
    headers = [captions[0] for captions in choices]
    for _attempt in range(4):
        match = presets.recognise(headers, kind).match
        if match is None:
            break
        own = set().union(*match.preset.entries().values())
        given = {field: normalise_header(header) for field, header in match.mapping.items()}
        moved = False
        for at, ref in enumerate(refs):
            caption = normalise_header(headers[at])
            wrong = caption in own and given.get(ref.field) != caption
            if wrong and picked[at] + 1 < len(choices[at]):
                picked[at] += 1
                headers[at] = choices[at][picked[at]]
                moved = True
        if not moved:
            break
    return headers


def field_named(importer: ImportKind | type[ImportKind], name: str) -> str | None:
    """The field a mapping's left side names: the field ("order_no") or its label in English or
    Chinese ("order number", "订单号"); None when none is."""
    wanted = normalise_header(name)
    for column in importer.columns:
        if normalise_header(column.field) == wanted:
            return column.field
    for language in (translation.get_language() or "en", "en", "zh-hans"):
        with translation.override(language):
            for column in importer.columns:
                if normalise_header(str(column.label)) == wanted:
                    return column.field
    return None


def joined(items: Iterable[str]) -> str:
    """Items of a list in a sentence: "a, b" in English, "a、b" in Chinese."""
    return str(pgettext("list separator", ", ")).join(items)


def fields_listed(importer: ImportKind | type[ImportKind]) -> str:
    """The kind's fields by their labels, for a message naming what a mapping may use."""
    return joined(str(column.label) for column in importer.columns)
