"""The one rounding rule for money, for every path that writes the ledger (file imports, the API,
the demo): amounts round half up (四舍五入) to the currency's minor unit, as Chinese accounting
and the ERPs it comes from do; unit prices and unit costs keep the ERP's precision, up to
``UNIT_PLACES`` decimals (a fastener's unit cost is often 0.0325), rounded half up beyond it.

Python's Decimal rounds half to even by default (0.375 -> 0.38 but 0.125 -> 0.12): nothing that
writes money quantizes on its own, it calls these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from operator import mul, truediv

from django.conf import settings
from django.utils import translation
from django.utils.numberformat import format as number_format

AMOUNT_PLACES = 2  # the amount columns' decimal places (MoneyField)
UNIT_PLACES = 6  # unit prices and unit costs
# Currencies whose minor unit is not the cent (ISO 4217); every other one has two places.
MINOR_UNIT_PLACES = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0}

CENT = Decimal(1).scaleb(-AMOUNT_PLACES)
UNIT = Decimal(1).scaleb(-UNIT_PLACES)
ZERO_UNIT = Decimal(0).quantize(UNIT)


def quantum(currency: str = "") -> Decimal:
    """The smallest amount of the currency: 0.01 for CNY, 1 for JPY."""
    return Decimal(1).scaleb(-MINOR_UNIT_PLACES.get(currency, AMOUNT_PLACES))


def amount_round(value: Decimal, currency: str = "") -> Decimal:
    """An amount, half up to the currency's minor unit (kept with two places, as stored)."""
    rounded = value.quantize(quantum(currency), rounding=ROUND_HALF_UP)
    return rounded.quantize(CENT) if rounded.as_tuple().exponent != -AMOUNT_PLACES else rounded


def unit_round(value: Decimal) -> Decimal:
    """A unit price or unit cost, half up to ``UNIT_PLACES`` decimals."""
    return value.quantize(UNIT, rounding=ROUND_HALF_UP)


def amounts_of(
    quantities: Sequence[Decimal], unit_values: Sequence[Decimal], currencies: Sequence[str]
) -> list[Decimal]:
    """quantity × unit value for each row, as ``amount_round`` makes it in the row's currency
    (a column at once for the import's batches: one call into C per row when every currency
    has cents)."""
    products = map(mul, quantities, unit_values)
    if MINOR_UNIT_PLACES.keys().isdisjoint(currencies):
        return list(map(Decimal.quantize, products, repeat(CENT), repeat(ROUND_HALF_UP)))
    return list(map(amount_round, products, currencies))


def per_unit(total: Decimal, quantity: Decimal) -> Decimal:
    """A unit value from a total (an amount or a cost) and a quantity; 0 for no quantity."""
    return unit_round(total / quantity) if quantity else ZERO_UNIT


def per_units(totals: Iterable[Decimal], quantities: Iterable[Decimal]) -> list[Decimal]:
    """``per_unit`` of each pair, none of the quantities zero (a column at once)."""
    return list(
        map(Decimal.quantize, map(truediv, totals, quantities), repeat(UNIT), repeat(ROUND_HALF_UP))
    )


# --- Money read by people ----------------------------------------------------------------

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "GBP": "£"}


def decimal_or_none(value: object) -> Decimal | None:
    """`value` as a Decimal, or None when it is empty or not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def grouped(value: Decimal, decimals: int) -> str:
    """Thousands grouped with commas in every language (Django's zh-hans locale groups by 10,000
    without a separator, which finance users do not read on screens)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return number_format(
        rounded,
        decimal_sep=".",
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=",",
        force_grouping=True,
    )


def compact(amount: Decimal) -> str:
    """An absolute amount the way a reader of the active language counts it: 万 and 亿 (two
    decimals) in Chinese, K / M / B (one decimal) in English; below 10,000 (Chinese) or 1,000
    (English) the full figure."""
    chinese = (translation.get_language() or "").lower().startswith("zh")
    steps = (
        ((Decimal(10**8), "亿"), (Decimal(10**4), "万"))
        if chinese
        else ((Decimal(10**9), "B"), (Decimal(10**6), "M"), (Decimal(10**3), "K"))
    )
    decimals = 2 if chinese else 1
    for size, unit in steps:
        scaled = (amount / size).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if scaled >= 1 and (amount >= size or unit != steps[-1][1]):
            text = format(scaled, "f").rstrip("0").rstrip(".")
            return f"{text}{unit}"
    return grouped(amount, 0)


def spoken(value: object, currency: str | None = None) -> str:
    """The amount as read aloud, with its currency's sign: "¥1.23万", "¥1.23亿" in Chinese,
    "¥1.2M" in English; "—" for nothing. Pages (the `money_short` filter) and sentences (alert
    messages) say money the same way."""
    amount = decimal_or_none(value)
    if amount is None:
        return "—"
    code = currency or str(settings.OPENKAM_CURRENCY)
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{compact(abs(amount))}"
