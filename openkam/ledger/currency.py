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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
