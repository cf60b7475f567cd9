"""Small builders for contract tests: a contract through the service (so its notice
deadline and covered companies are set as in real use) and ledger lines by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openkam.accounts.models import Account
from openkam.contracts import services
from openkam.contracts.models import Attachment, Contract, ContractState
from openkam.ledger.models import Order, OrderLine, Product
from openkam.team.models import Role, User

_numbers = iter(range(1, 10**6))


def contract(
    account: Account,
    *,
    items: list[dict[str, Any]] | None = None,
    signed: bool = True,
    **fields: Any,
) -> Contract:
    """A contract of `account` (a calendar-year annual supply contract unless told), signed
    unless `signed=False`; written by a throwaway executive."""
    writer = User.objects.filter(role=Role.EXECUTIVE, username="contract-builder").first()
    if writer is None:
        writer = User.objects.create(username="contract-builder", role=Role.EXECUTIVE)
    values: dict[str, Any] = {
        "kind": "annual_supply",
        "number": f"HT-{next(_numbers):05d}",
        "title": "年度供货合同",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
        "commitment_period": "year",
        **fields,
    }
    made = services.contract_create(
        user=writer, account_id=account.pk, fields=values, items=items or []
    )
    if signed:
        made.state = ContractState.SIGNED
        made.signed_on = values["starts_on"]
        made.save()
    return made


def bought(
    account: Account,
    product: Product,
    *,
    on: dt.date,
    amount: str,
    quantity: str = "1",
    status: str = Order.Status.DELIVERED,
    currency: str = "CNY",
    **line: Any,
) -> OrderLine:
    """One order with one line of `amount` for `quantity` of `product`."""
    order = Order.objects.create(
        account=account, order_no=f"O-{next(_numbers)}", order_date=on, status=status,
        currency=currency,
    )  # fmt: skip
    value, count = Decimal(amount), Decimal(quantity)
    return OrderLine.objects.create(
        order=order, account=account, product=product, quantity=count,
        unit_price=value / count, unit_cost=Decimal("0"), amount=value, cost=Decimal("0"),
        currency=currency, **line,
    )  # fmt: skip


def their_contract(account: Account) -> tuple[Contract, Attachment]:
    """A signed contract of another team's account with a file (the route walk's objects),
    made once and found again. The file row names no stored file: refusals never open it."""
    found = Contract.objects.filter(account=account, number="HT-WALK").first()
    if found is None:
        found = contract(account, number="HT-WALK")
        Attachment.objects.create(
            contract=found, kind="signed", name="walk.pdf", file="walk/walk.pdf",
            content_type="application/pdf", size=1, sha256="0" * 64,
        )  # fmt: skip
    return found, found.attachments.get()
