"""An order line's values from what the ERP gives: the one rule that file imports
(``imports/kinds/orders.py``) and the API's bulk upsert (``api/ledger_upsert.py``) both call, so
the same line sent either way is stored the same.

The file or request gives a unit price or an amount (at least one), and may give the unit cost
and the cost. What it leaves out is derived: the amount is quantity × unit price, the unit price
amount ÷ quantity; the unit cost is cost ÷ quantity, else the product's standard cost; the cost
quantity × unit cost. Rounding is ``common.money``'s: amounts half up to cents, unit values
half up to six places.

Column by column (a list per field, aligned), as the import works on batches of thousands of
rows; the API passes its lines the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openkam.common import money

Maybe = Sequence[Decimal | None]


@dataclass(frozen=True)
class LineValues:
    """The derived money columns of a batch of lines, aligned with its input."""

    unit_price: list[Decimal]
    amount: list[Decimal]
    unit_cost: list[Decimal]
    cost: list[Decimal]


def _has_none(values: Sequence[object]) -> bool:
    """Whether a None is among the values (``None in`` compares every Decimal with None: slow)."""
    return type(None) in set(map(type, values))


def lines_derive(
    *,
    quantity: Sequence[Decimal],
    unit_price: Maybe,
    amount: Maybe,
    unit_cost: Maybe,
    cost: Maybe,
    standard_cost: Sequence[Decimal],
    currency: Sequence[str],
) -> LineValues:
    """The lines' money values: each as given, else derived (see the module docstring). Every
    line must have its unit price or its amount: the caller refuses the others first."""
    if _has_none(amount):
        products = [p or Decimal(0) for p in unit_price]
        derived = money.amounts_of(quantity, products, currency)
        amount = [a if a is not None else d for a, d in zip(amount, derived, strict=True)]
    if _has_none(unit_price):
        unit_price = [
            p if p is not None else money.per_unit(a, q)  # type: ignore[arg-type]
            for q, p, a in zip(quantity, unit_price, amount, strict=True)
        ]
    unit_cost = _unit_costs(quantity, unit_cost, cost, standard_cost)
    if _has_none(cost):
        derived = money.amounts_of(quantity, unit_cost, currency)
        cost = [t if t is not None else d for t, d in zip(cost, derived, strict=True)]
    return LineValues(list(unit_price), list(amount), unit_cost, list(cost))  # type: ignore[arg-type]


def _unit_costs(
    quantity: Sequence[Decimal], unit_cost: Maybe, cost: Maybe, standard_cost: Sequence[Decimal]
) -> list[Decimal]:
    """The unit costs given, else cost ÷ quantity, else the product's standard cost; a whole
    column at once where the file gives costs and no unit costs at all (the common export)."""
    if not _has_none(unit_cost):
        return list(unit_cost)  # type: ignore[arg-type]
    if unit_cost.count(None) == len(unit_cost) and not _has_none(cost) and 0 not in quantity:
        return money.per_units(cost, quantity)  # type: ignore[arg-type]
    return [
        u if u is not None else (s if t is None else money.per_unit(t, q))
        for q, u, t, s in zip(quantity, unit_cost, cost, standard_cost, strict=True)
    ]


def line_key(order_key: str, line_no: int | None, given: str = "", sku: str = "") -> str:
    """A line's external ID: the one the ERP gives, else its order's key and line number (else
    its SKU, for files without line numbers)."""
    return given or (f"{order_key}/{line_no}" if line_no else f"{order_key}/{sku}")
