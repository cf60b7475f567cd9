"""One module per kind of import, all alike: columns, build (row -> table values), write."""

from __future__ import annotations

from openkam.imports.kinds import (
    accounts,
    contacts,
    costs,
    deliveries,
    invoices,
    orders,
    payments,
    products,
    transactions,
)
from openkam.imports.kinds.base import ImportKind

KINDS: dict[str, type[ImportKind]] = {
    module.KIND.name: module.KIND
    for module in (
        accounts,
        contacts,
        products,
        orders,
        transactions,
        deliveries,
        invoices,
        payments,
        costs,
    )
}
