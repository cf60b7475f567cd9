"""Order lines given in another currency (币别 / 原币 other than the company's) made into what
the ledger stores: amounts in the company currency (``OPENKAM_CURRENCY``, CNY), which revenue,
margins and CLV add up, with the file's currency and net amount kept beside them.

A line converts when the file gives its amount in the company currency (本币金额 / 本位币金额,
net of VAT) or an exchange rate (汇率: company currency per unit of the line's):
- with the local amount: that is the net amount; the VAT is converted at local ÷ original (the
  file's own rate, to the cent), the unit price is local ÷ quantity (six places);
- else with the rate: the net amount and the VAT are original × rate, the unit price unit price
  × rate, each half up (``common.money``).
A line in the company currency, or in another one with neither, is left as it is (its currency
says what it is in). Costs are the company's own figures and never converted.

Invoices and payments convert the same way (``document_in_company_currency``), keeping their
own currency, amount and the rate used beside the stored amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openkam.common import money

Maybe = Sequence[Decimal | None]


@dataclass(frozen=True)
class CompanyLines:
    """The lines' values in the company currency, aligned with the input."""

    unit_price: list[Decimal]
    amount: list[Decimal]
    tax_amount: list[Decimal]
    currency: list[str]
    original_currency: list[str]  # "" where the line was not converted
    original_amount: list[Decimal | None]


def lines_in_company_currency(
    *,
    company: str,
    currency: Sequence[str],
    quantity: Sequence[Decimal],
    unit_price: Sequence[Decimal],
    amount: Sequence[Decimal],
    tax_amount: Sequence[Decimal],
    exchange_rate: Maybe,
    local_amount: Maybe,
) -> CompanyLines:
    """Each line in the company currency (see the module docstring)."""
    out = CompanyLines([], [], [], [], [], [])
    for at, code in enumerate(currency):
        price, net, tax = unit_price[at], amount[at], tax_amount[at]
        rate, local = exchange_rate[at], local_amount[at]
        original, original_net = "", None
        if code != company and (local is not None or rate is not None):
            original, original_net = code, net
            if local is not None:
                factor = local / net if net else rate
                tax = money.amount_round(tax * factor, company) if factor is not None else tax
                price = money.per_unit(local, quantity[at])
                net = local
            else:
                assert rate is not None
                net = money.amount_round(net * rate, company)
                tax = money.amount_round(tax * rate, company)
                price = money.unit_round(price * rate)
            code = company
        out.unit_price.append(price)
        out.amount.append(net)
        out.tax_amount.append(tax)
        out.currency.append(code)
        out.original_currency.append(original)
        out.original_amount.append(original_net)
    return out


RATE_PLACES = 6  # an exchange rate: company currency per unit, six places (汇率 0.047123)
RATE_DIGITS = 16
RATE = Decimal(1).scaleb(-RATE_PLACES)
RATE_LIMIT = Decimal(10) ** (RATE_DIGITS - RATE_PLACES)


@dataclass(frozen=True)
class Document:
    """An invoice's or a payment's amount as the ledger stores it: in the company currency
    when it converted, with the document's own currency, amount and the rate kept beside."""

    amount: Decimal
    currency: str
    original_currency: str = ""  # "" when the document was not converted
    original_amount: Decimal | None = None
    exchange_rate: Decimal | None = None

    def values(self) -> dict[str, Any]:
        """The ledger row's values (``ledger.upsert.DOCUMENT_CURRENCY_FIELDS`` and the
        amount and currency)."""
        return {
            "amount": self.amount,
            "currency": self.currency,
            "original_currency": self.original_currency,
            "original_amount": self.original_amount,
            "exchange_rate": self.exchange_rate,
        }


def document_in_company_currency(
    *,
    company: str,
    currency: str,
    amount: Decimal,
    exchange_rate: Decimal | None = None,
    local_amount: Decimal | None = None,
) -> Document:
    """An invoice or a payment in the company currency, the one rule of the file import
    (``imports.kinds.base.Converted``) and of the API's bulk upsert.

    A document in another currency converts when its amount in the company currency
    (本币金额) or an exchange rate (汇率: company currency per unit of the document's) is
    given: the local amount as it is, else amount × rate half up to the company's minor unit.
    The rate kept is the one the stored amount was made with: the given one, or local ÷
    original to six places when the local amount is given. A document in the company
    currency, or in another one with neither, is stored as it is (its currency says what it
    is in). Raises ValidationError (field ``exchange_rate``) for a rate not above zero or
    with more than six places or ten whole digits."""
    if exchange_rate is not None:
        _check_rate(exchange_rate)
    if currency == company or (exchange_rate is None and local_amount is None):
        return Document(amount, currency)
    if local_amount is None:
        assert exchange_rate is not None
        converted = money.amount_round(amount * exchange_rate, company)
        return Document(converted, company, currency, amount, exchange_rate)
    used = _rate_of(local_amount, amount) if amount else exchange_rate
    return Document(local_amount, company, currency, amount, used)


def _check_rate(rate: Decimal) -> None:
    if not rate.is_finite() or rate <= 0:
        raise ValidationError({"exchange_rate": _("The exchange rate must be above zero.")})
    if rate >= RATE_LIMIT or rate != rate.quantize(RATE):
        message = _(
            "The exchange rate has at most %(places)s decimal places and %(whole)s whole digits."
        ) % {"places": RATE_PLACES, "whole": RATE_DIGITS - RATE_PLACES}
        raise ValidationError({"exchange_rate": message})  # fmt: skip


def _rate_of(local: Decimal, original: Decimal) -> Decimal | None:
    """local ÷ original to six places; None where it would not fit the column (an original
    of a few cents against a large local amount: the two amounts still say it)."""
    rate = (local / original).quantize(RATE, rounding=ROUND_HALF_UP)
    return rate if 0 < rate < RATE_LIMIT else None
