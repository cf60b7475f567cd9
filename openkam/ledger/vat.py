"""VAT (增值税) on order lines: what an ERP file gives (prices or totals with VAT, a rate, a tax
amount) made into what the ledger stores, the net amount (revenue, margins and CLV are net of
VAT everywhere) and, beside it, the VAT and its rate.

A line with VAT included (价税合计, 含税单价, or a price under "价格含税 = 是"):
- the gross total is the file's, else quantity × gross unit price, half up to cents;
- the net amount is gross − the file's tax amount when it gives one (the ERP's own split, to
  the cent), else gross ÷ (1 + rate), half up to cents, with the line's rate or the company's
  default rate (``default_rate``: the company settings' ``default_vat_rate``, set from
  ``DEFAULT_RATE``, 13 %, China's rate for goods) when the file names none;
- the VAT is the file's, else gross − net: net + VAT is always the gross total;
- the net unit price is the file's net one, else net ÷ quantity (six places).
A line given net keeps its values; its VAT is the file's, else net × rate when a rate is given.

Rounding is ``common.money``'s (half up, away from zero), so a red-letter line (a return, with
negative quantities and totals) is the exact mirror of the sale it reverses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from openkam.common import money

DEFAULT_RATE = Decimal("0.13")
# The company setting's label and help (portfolio.PortfolioSettings.default_vat_rate): with
# the rule they describe.
DEFAULT_RATE_LABEL = _("default VAT rate")
DEFAULT_RATE_HELP = _(
    "A fraction (0.13 for 13 %): the rate of an imported line whose price includes VAT when "
    "the file names no rate."
)
RATE_PLACES = Decimal("0.0001")  # the ledger keeps rates as fractions with four places
ZERO = Decimal("0.00")

Maybe = Sequence[Decimal | None]


@dataclass(frozen=True)
class NetLines:
    """The lines' values net of VAT, aligned with the input: unit price and amount are None
    where neither the file nor the VAT split gives them (``lines_derive`` fills them)."""

    unit_price: list[Decimal | None]
    amount: list[Decimal | None]
    tax_amount: list[Decimal]
    tax_rate: list[Decimal | None]


def lines_net_of_vat(
    *,
    quantity: Sequence[Decimal],
    unit_price: Maybe,
    amount: Maybe,
    gross_unit_price: Maybe,
    gross_amount: Maybe,
    tax_amount: Maybe,
    tax_rate: Maybe,
    includes_tax: Sequence[bool | None],
    currency: Sequence[str],
    default_rate: Decimal = DEFAULT_RATE,
) -> NetLines:
    """Each line net of VAT (see the module docstring); ``includes_tax`` True says the line's
    unit price and amount are gross (the file's "价格含税" column)."""
    out = NetLines([], [], [], [])
    for at, q in enumerate(quantity):
        price, total = unit_price[at], amount[at]
        gross_price, gross = gross_unit_price[at], gross_amount[at]
        if includes_tax[at]:
            gross_price = price if gross_price is None else gross_price
            gross = total if gross is None else gross
            price = total = None
        if gross is None and gross_price is not None:
            gross = money.amount_round(q * gross_price, currency[at])
        price, total, tax, rate = _split(
            q, price, total, gross, tax_amount[at], tax_rate[at], currency[at], default_rate
        )
        out.unit_price.append(price)
        out.amount.append(total)
        out.tax_amount.append(tax)
        out.tax_rate.append(rate)
    return out


def _split(
    q: Decimal,
    price: Decimal | None,
    net: Decimal | None,
    gross: Decimal | None,
    tax: Decimal | None,
    rate: Decimal | None,
    currency: str,
    default_rate: Decimal,
) -> tuple[Decimal | None, Decimal | None, Decimal, Decimal | None]:
    """(net unit price, net amount, VAT, rate) of one line."""
    if gross is None:  # a net line
        if net is None and price is not None:
            net = money.amount_round(q * price, currency)
        if tax is None:
            tax = money.amount_round(net * rate, currency) if net is not None and rate else ZERO
        return price, net, tax, _rate(rate, tax, net)
    if net is None:
        if tax is not None:
            net = gross - tax
        else:
            rate = default_rate if rate is None else rate
            net = money.amount_round(gross / (1 + rate), currency)
    if tax is None:
        tax = gross - net
    if price is None:
        price = money.per_unit(net, q)
    return price, net, tax, _rate(rate, tax, net)


def _rate(rate: Decimal | None, tax: Decimal, net: Decimal | None) -> Decimal | None:
    """The rate given, else the one the VAT and the net amount show (None without VAT)."""
    if rate is not None:
        return rate.quantize(RATE_PLACES)
    if not tax or not net:
        return None
    return (tax / net).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
