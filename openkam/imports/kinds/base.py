"""What every kind shares: its columns (a field, the headers it goes by, a cell parser), rows
that carry their outcome or the reason they were rejected, and the run-wide context (source,
caches of accounts and products, the writers).

A kind module lists its columns and says, in ``build``, how one parsed row becomes the values
of its table and, in ``write``, how a batch of those is stored. A kind of big files (orders)
overrides ``apply`` instead and works on the batch's columns (``Batch``): a list per field,
each computed at once, with no dict per row. Everything else is here or in ``writing.py``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from openkam.common.money import UNIT_PLACES
from openkam.imports import parsing
from openkam.imports.matching import AccountResolver
from openkam.imports.parsing import CellError
from openkam.imports.rows import (  # noqa: F401  (the kinds and the import service read them here)
    INSERTED,
    OUTCOME,
    REJECTION,
    UNCHANGED,
    UPDATED,
    Row,
    RowRejected,
)
from openkam.imports.writing import SeenKeys
from openkam.ledger.currency import Document, document_in_company_currency

if TYPE_CHECKING:
    from openkam.imports.models import ImportRun


@dataclass(frozen=True)
class Column:
    """A field of the kind, the headers it is recognised by (Chinese and English, compared after
    ``normalise_header``) and how its cell is read."""

    field: str
    label: Promise | str
    headers: tuple[str, ...]
    parse: Callable[[str], Any]
    required: bool = False
    # Reads a list of distinct cells at once when all are in canonical form, else None (and
    # each is then read by ``parse``): the same values, without a Python call per cell.
    parse_many: Callable[[Sequence[str]], list[Any] | None] | None = None

    def __post_init__(self) -> None:
        if self.parse_many is None:
            many = self.parse.many if isinstance(self.parse, Money | Text) else MANY.get(self.parse)
            object.__setattr__(self, "parse_many", many)


def has_none(values: Sequence[Any]) -> bool:
    """Whether a None is among the values (``None in values`` asks every Decimal whether it
    equals None, through the numbers ABCs: slow on a column)."""
    return type(None) in set(map(type, values))


class Batch:
    """The rows of a batch, and the values read from the cells of those still ``ok``, a list per
    field (the fields the file maps), aligned with ``ok``. A kind reads its columns at once and
    rejects rows; ``keep_ok`` then drops them from ``ok`` and from the columns."""

    def __init__(self, rows: list[Row], ok: list[Row], columns: dict[str, list[Any]]) -> None:
        self.rows = rows
        self.ok = ok
        self.columns = columns

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def column(self, field_name: str, default: Any = None) -> list[Any]:
        """The field's values; ``default`` on every row when the file does not map it."""
        found = self.columns.get(field_name)
        return [default] * len(self.ok) if found is None else found

    def keep_ok(self) -> None:
        """Drop the rows rejected since the columns were read (and their values)."""
        if not any(map(REJECTION, self.ok)):
            return
        keep = [at for at, row in enumerate(self.ok) if row.rejection is None]
        self.ok = [self.ok[at] for at in keep]
        for name, values in self.columns.items():  # in place: callers hold the dict
            self.columns[name] = [values[at] for at in keep]

    def fill_values(self) -> None:
        """row.values of every ok row, from the columns (for kinds that build row by row)."""
        names = list(self.columns)
        for row, read in zip(self.ok, zip(*self.columns.values(), strict=True), strict=False):
            row.values = dict(zip(names, read, strict=True))


@dataclass
class Context:
    run: ImportRun
    source: str
    headers: dict[str, str]  # field -> header in the file
    accounts: AccountResolver
    seen: SeenKeys
    now: dt.datetime
    touched_accounts: set[int] = field(default_factory=set)
    product_cache: dict[str, tuple[int, Decimal] | None] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> its label, for messages

    def header(self, field_name: str) -> str:
        """The file's header of the field, else its label (never the internal name)."""
        found = self.headers.get(field_name)
        return found if found is not None else self.labels.get(field_name, field_name)


class ImportKind:
    """The shape of a kind; subclasses set the class attributes and build / write."""

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # Groups of fields of which at least one must be mapped (e.g. a customer's key or name).
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    rebuilds_aggregates: ClassVar[bool] = False

    def apply(self, batch: Batch, ctx: Context) -> None:
        """Build and write a batch: row by row unless the kind reads its columns at once."""
        batch.fill_values()
        self.prepare(batch.rows, ctx)
        for row in batch.rows:
            if row.rejection is None:
                self.build(row, ctx)
        self.write(batch.rows, ctx)

    def prepare(self, rows: Sequence[Row], ctx: Context) -> None:
        """Before a batch's rows are built: look up at once what they refer to (e.g. products)."""

    def build(self, row: Row, ctx: Context) -> None:
        """Fill row.record from row.values, or reject the row."""
        raise NotImplementedError

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        """Store the rows that are still ok; set each one's outcome or rejection."""
        raise NotImplementedError

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def notes(self) -> list[str]:
        """What the run did besides storing rows (accounts it created ...), for its page."""
        return []

    def warnings(self) -> list[dict[str, Any]]:
        """What the stored rows will get wrong unless someone acts (a margin of 100 % ...): a
        dict per warning, its "kind" and its figures, worded by the run's page."""
        return []


# --- cell parsers, each raising CellError ---------------------------------------------------


class Text:
    """A cell parser for text of at most ``max_length`` characters, its blanks collapsed."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, cell: str) -> str:
        value = " ".join(parsing.clean(cell).split())
        if len(value) > self.max_length:
            raise CellError(parsing.TOO_LONG, str(self.max_length))
        return value

    def many(self, cells: Sequence[str]) -> list[str] | None:
        """The cells as they are when none has blanks to drop or is too long, else None."""
        cells = list(cells)
        if "\ufeff" in "".join(cells) or list(map(" ".join, map(str.split, cells))) != cells:
            return None
        if cells and max(map(len, cells)) > self.max_length:
            return None
        return list(cells)


def text(max_length: int) -> Text:
    return Text(max_length)


def key(cell: str) -> str:
    """An identifier from an ERP: blanks around it dropped, full-width as half-width; Excel's
    "12345.0" for a numeric code is "12345"."""
    value = parsing.clean(cell)
    if not value.isascii():
        value = parsing.half_width(value)
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    if len(value) > 80:
        raise CellError(parsing.TOO_LONG, "80")
    return value


_ENDS_IN_POINT_ZERO = operator.methodcaller("endswith", ".0")


def key_many(cells: Sequence[str]) -> list[str] | None:
    """The cells as they are when ``key`` would leave each as it is (ASCII, no blanks around,
    no ".0" at the end, short enough), else None."""
    cells = list(cells)
    if not "".join(cells).isascii() or list(map(str.strip, cells)) != cells:
        return None
    if any(map(_ENDS_IN_POINT_ZERO, cells)) or (cells and max(map(len, cells)) > 80):
        return None
    return list(cells)


def date(cell: str) -> dt.date | None:
    """A date of the business (an order, an invoice, a first deal): refused outside the
    plausible years, where it can only be a typing error or an ERP's empty-date sentinel."""
    value: dt.date | None
    try:
        value = dt.date.fromisoformat(cell)  # the common case, ten times faster than the rest
    except ValueError:
        value = parsing.parse_date(cell)
    if value is not None:
        parsing.plausible_year(value.year)
    return value


class Money:
    """A cell parser for amounts with ``decimal_places`` (at most ``max_digits`` digits)."""

    def __init__(self, decimal_places: int = 2, *, max_digits: int = 18) -> None:
        # Plain digits that fit the column as they are: no rounding to refuse, no size to check.
        fraction = rf"(?:\.[0-9]{{1,{decimal_places}}})?" if decimal_places else ""
        self.fits = re.compile(rf"[0-9]{{1,{max_digits - decimal_places}}}{fraction}").fullmatch
        self.quantum = Decimal(1).scaleb(-decimal_places)
        self.fit = decimal.Context(prec=max_digits, traps=[InvalidOperation])
        self.decimal_places, self.max_digits = decimal_places, max_digits

    def __call__(self, cell: str) -> Decimal | None:
        if self.fits(cell):
            return Decimal(cell).quantize(self.quantum)
        try:
            value: Decimal | None = Decimal(cell)  # the common case: plain digits
        except InvalidOperation:
            value = parsing.parse_decimal(cell)
        if value is None:
            return None
        if not value.is_finite():
            raise CellError(parsing.NOT_A_NUMBER, cell)
        return parsing.fit_decimal(
            value, max_digits=self.max_digits, decimal_places=self.decimal_places
        )

    def many(self, cells: Sequence[str]) -> list[Decimal | None] | None:
        """The cells' values when every one is a number that fits the column as it is (or is
        empty), else None: what ``__call__`` makes of each, in a few calls into C."""
        try:
            values = list(map(Decimal, cells))
        except InvalidOperation:
            if "" not in cells:
                return None
            filled = self.many([cell for cell in cells if cell])
            if filled is None:
                return None
            found = iter(filled)
            return [next(found) if cell else None for cell in cells]
        try:  # quantized within max_digits, else InvalidOperation: too large, or not finite
            fitted = list(map(self.fit.quantize, values, itertools.repeat(self.quantum)))
        except InvalidOperation:
            return None
        if fitted != values:  # digits lost, or not a number (NaN is never equal)
            return None
        return list[Decimal | None](fitted)


def money(decimal_places: int = 2, *, max_digits: int = 18) -> Money:
    return Money(decimal_places, max_digits=max_digits)


class NonZero(Money):
    """An amount that must not be zero (an order line's quantity: a line of nothing is a
    typing error); negative values pass, as they did (returns are a later matter)."""

    def __call__(self, cell: str) -> Decimal | None:
        value = super().__call__(cell)
        if value is not None and not value:
            raise CellError(parsing.ZERO, cell)
        return value

    def many(self, cells: Sequence[str]) -> list[Decimal | None] | None:
        values = super().many(cells)
        if values is None or any(value is not None and not value for value in values):
            return None  # each cell is read again by __call__, which names the zero
        return values


class Positive(Money):
    """An amount that must be above zero (an exchange rate)."""

    def __call__(self, cell: str) -> Decimal | None:
        value = super().__call__(cell)
        if value is not None and value <= 0:
            raise CellError(parsing.ZERO if not value else parsing.NEGATIVE, cell)
        return value

    def many(self, cells: Sequence[str]) -> list[Decimal | None] | None:
        values = super().many(cells)
        if values is None or any(value is not None and value <= 0 for value in values):
            return None  # each cell is read again by __call__, which names the reason
        return values


quantity = money(3, max_digits=14)
line_quantity = NonZero(3, max_digits=14)
unit_money = money(UNIT_PLACES)  # unit prices and unit costs: the ERP's precision
exchange_rate = Positive(6, max_digits=16)  # company currency per unit of the file's


def year(cell: str) -> int | None:
    """A calendar year (a cost's fiscal year): a whole number within the plausible years."""
    value = positive_int(cell)
    return None if value is None else parsing.plausible_year(value)


def positive_int(cell: str) -> int | None:
    value = parsing.parse_decimal(cell)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(parsing.NOT_A_NUMBER, str(value))
    if value < 0:
        raise CellError(parsing.NEGATIVE, str(value))
    if value > 2_000_000_000:
        raise CellError(parsing.TOO_LARGE, str(value))
    return int(value)


def currency(cell: str) -> str:
    if not cell:
        return str(settings.OPENKAM_CURRENCY)
    value = parsing.half_width(parsing.clean(cell)).upper()
    value = {"人民币": "CNY", "RMB": "CNY", "美元": "USD", "欧元": "EUR", "港币": "HKD"}.get(
        value, value
    )
    if value and (len(value) != 3 or not value.isalpha()):
        raise CellError(parsing.NOT_A_CHOICE, "CNY, USD, EUR ...")
    return value or str(settings.OPENKAM_CURRENCY)


def choice(mapping: dict[str, str]) -> Callable[[str], str]:
    """A cell naming one of the choices, in any of the words of ``mapping`` (word -> value)."""
    words = {parsing.normalise_header(word): value for word, value in mapping.items()}

    def parse(cell: str) -> str:
        value = parsing.clean(cell)
        if not value:
            return ""
        found = words.get(parsing.normalise_header(value))
        if found is None:
            raise CellError(parsing.NOT_A_CHOICE, ", ".join(dict.fromkeys(mapping)))
        return found

    parse.choices = tuple(dict.fromkeys(mapping))  # type: ignore[attr-defined]  # the reference
    return parse


def flag(true_words: tuple[str, ...], false_words: tuple[str, ...]) -> Callable[[str], bool | None]:
    """A yes / no cell in the ERP's words (是 / 否, Y / N, SAP's X / blank); None when empty."""
    words = {parsing.normalise_header(w): True for w in (*true_words, *YES)}
    words.update({parsing.normalise_header(w): False for w in (*false_words, *NO)})

    def parse(cell: str) -> bool | None:
        value = parsing.clean(cell)
        if not value:
            return None
        found = words.get(parsing.normalise_header(value))
        if found is None:
            raise CellError(parsing.NOT_A_CHOICE, ", ".join([*true_words[:1], *false_words[:1],
                                                             *YES[:1], *NO[:1]]))  # fmt: skip
        return found

    parse.choices = (*true_words[:1], *false_words[:1], *YES[:1], *NO[:1])  # type: ignore[attr-defined]
    return parse


YES = ("是", "yes", "y", "true", "1", "x", "√")
NO = ("否", "no", "n", "false", "0")


def tax_rate(cell: str) -> Decimal | None:
    """A VAT rate, as a fraction (13 %, 0.13, 增值税13% -> 0.13)."""
    return parsing.parse_tax_rate(cell)


def credit_code(cell: str) -> str:
    return parsing.parse_credit_code(cell)


MANY: dict[Callable[[str], Any], Callable[[Sequence[str]], list[Any] | None]] = {key: key_many}


# --- a document in another currency (invoices, payments) -------------------------------------

CURRENCY_COLUMNS = (
    Column("currency", gettext_lazy("currency"),
           ("币种", "币别", "原币", "原币币种", "原币币别", "currency", "waerk", "waers"),
           currency),
    Column("exchange_rate", gettext_lazy("exchange rate"),
           ("汇率", "折本汇率", "exchange rate", "kursk", "kursf"), exchange_rate),
    Column("local_amount", gettext_lazy("amount in company currency"),
           ("本币金额", "本位币金额", "本币价税合计", "本位币价税合计", "本币收款金额",
            "本位币收款金额", "amount in local currency", "dmbtr"), money()),
    Column("local_currency", gettext_lazy("company currency"),
           ("本位币", "本币", "本位币币别", "local currency", "hwaer"), currency),
)  # fmt: skip


class Converted:
    """A document's amount in the company currency (``OPENKAM_CURRENCY``) by the ledger's one
    rule (``ledger.currency.document_in_company_currency``, the API's too): converted when the
    file gives its amount in the company currency (本币金额) or an exchange rate (汇率), its
    own currency, amount and rate kept beside. The run counts the conversions per currency
    (``notes``)."""

    def __init__(self) -> None:
        self.company = currency("")
        self.converted: dict[str, int] = {}

    def __call__(self, row: Row, ctx: Context, amount: Decimal) -> Document | None:
        """What the ledger stores for the row, or None with the row rejected."""
        v = row.values
        local_currency = v.get("local_currency")
        if local_currency and local_currency != self.company:
            reason = _("the company currency is %(currency)s") % {"currency": self.company}
            row.reject(ctx.header("local_currency"), local_currency, reason)
            return None
        try:
            stored = document_in_company_currency(
                company=self.company,
                currency=v.get("currency") or self.company,
                amount=amount,
                exchange_rate=v.get("exchange_rate"),
                local_amount=v.get("local_amount"),
            )
        except ValidationError as exc:  # the cell parser refuses these first; kept in step
            row.reject(ctx.header("exchange_rate"), values_text(row, "exchange_rate"),
                       exc.message_dict["exchange_rate"][0])  # fmt: skip
            return None
        if stored.original_currency:
            code = stored.original_currency
            self.converted[code] = self.converted.get(code, 0) + 1
        return stored

    def notes(self) -> list[str]:
        if not self.converted:
            return []
        each = str(pgettext("list separator", ", ")).join(
            f"{code} {count}" for code, count in sorted(self.converted.items())
        )
        return [_("converted into %(company)s from another currency: %(each)s")
                % {"company": self.company, "each": each}]  # fmt: skip


# --- the customer columns every ledger kind has ---------------------------------------------

CUSTOMER_COLUMNS = (
    Column(
        "customer_code",
        gettext_lazy("customer code"),
        ("客户编码", "客户编号", "客户代码", "客户id", "customer code", "customer id", "kunnr",
         "customer no", "customer number"),
        key,
    ),
    Column(
        "customer_name",
        gettext_lazy("customer name"),
        ("客户名称", "客户", "客户全称", "购货单位", "customer name", "customer", "client",
         "account name", "name1"),
        text(200),
    ),
    Column(
        "credit_code",
        gettext_lazy("credit code"),
        ("统一社会信用代码", "信用代码", "社会信用代码", "纳税人识别号", "credit code",
         "unified social credit code", "uscc", "tax id"),
        credit_code,
    ),
)  # fmt: skip
CUSTOMER_ONE_OF = ("customer_code", "customer_name", "credit_code")


def resolve_customer(row: Row, ctx: Context) -> int | None:
    """The account of the row's customer, or None with the row rejected."""
    values = row.values
    try:
        return ctx.accounts.resolve(
            code=values.get("customer_code", ""),
            name=values.get("customer_name", ""),
            credit_code=values.get("credit_code", ""),
            row=row.number,
        )
    except RowRejected as exc:
        field_name = exc.column
        row.reject(ctx.header(field_name), values_text(row, field_name), exc.reason)
        return None


def refuse_others(rows: Sequence[Row], ctx: Context, model: Any, key: str, column: str) -> None:
    """A KAM's or a director's import: reject the rows whose ``key`` (an invoice number, the
    order an invoice is for ...) names a ``model`` row of the source stored for an account
    they may not write (its upsert would move it to their customer, or link to it)."""
    scope = ctx.accounts.scope
    if scope.writable is None:
        return
    keys = {row.record[key] for row in rows if row.ok and row.record.get(key)}
    if not keys:
        return
    stored = model.objects.filter(source=ctx.source, external_id__in=keys)
    theirs = {
        k for k, pk in stored.values_list("external_id", "account_id") if not scope.allows(pk)
    }
    if not theirs:
        return
    reason = _("this number is stored for an account you may not write")
    for row in rows:
        if row.ok and row.record.get(key) in theirs:
            row.reject(ctx.header(column), row.record[key], reason)


def values_text(row: Row, field_name: str) -> str:
    value = row.values.get(field_name, "")
    return "" if value is None else str(value)


def reason_text(error: CellError, column: Column) -> str:
    """The reason a cell was refused, in the active language."""
    messages = {
        parsing.MISSING: _("a value is required"),
        parsing.NOT_A_DATE: _("not a date (write 2024-03-05, 2024/3/5 or 2024年3月5日)"),
        parsing.INVALID_DATE: _("no such date"),
        parsing.NOT_A_NUMBER: _("not a number"),
        parsing.TOO_LARGE: _("the number is too large"),
        parsing.TOO_PRECISE: _("more decimal places than this field keeps"),
        parsing.NEGATIVE: _("must not be negative"),
        parsing.ZERO: _("must not be zero"),
        parsing.OUT_OF_RANGE: _("implausible: outside %(range)s") % {"range": error.detail},
        parsing.NOT_A_CREDIT_CODE: _(
            "not a valid unified social credit code (18 characters with a check digit)"
        ),
        parsing.TOO_LONG: _("longer than %(max)s characters") % {"max": error.detail},
        parsing.NOT_A_CHOICE: _("unknown value; use one of: %(choices)s")
        % {"choices": error.detail},
    }
    return str(messages.get(error.reason, error.reason))
