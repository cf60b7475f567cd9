"""The ledger's one write path (``ledger.upsert``), the one a file import and the API's bulk
endpoints both write through: rows keyed by (source, external_id) are inserted, updated or left
unchanged, a key repeated with other values is a conflict, and an invoice without due date falls
due after its account's payment terms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openkam.factories import AccountFactory
from openkam.ledger.models import CostToServe
from openkam.ledger.upsert import (
    CONFLICT,
    COST_FIELDS,
    INSERTED,
    UNCHANGED,
    UPDATED,
    KeyedTable,
    due_dates,
)

pytestmark = pytest.mark.django_db


def _costs(account_id: int, *amounts: str) -> list[list[Any]]:
    """The columns of a batch of costs (in COST_FIELDS order), one per amount."""
    rows = [
        (account_id, 2026, "indirect", "freight", Decimal(amount), "CNY", "") for amount in amounts
    ]
    return [list(column) for column in zip(*rows, strict=True)]


def test_rows_are_inserted_then_unchanged_then_updated_by_source_and_external_id() -> None:
    account = AccountFactory.create()
    table = KeyedTable(CostToServe, fields=COST_FIELDS)
    now = timezone.now()
    first = table.upsert(["F-1", "F-2"], _costs(account.pk, "1.50", "2"), scope={"source": "erp"},
                         now=now)  # fmt: skip
    assert first.outcomes == [INSERTED, INSERTED]
    again = table.upsert(["F-1", "F-2"], _costs(account.pk, "1.5", "2.00"),
                         scope={"source": "erp"}, now=now)  # fmt: skip
    assert again.outcomes == [UNCHANGED, UNCHANGED]
    assert again.ids == first.ids
    changed = table.upsert(["F-1", "F-2"], _costs(account.pk, "1.50", "3"),
                           scope={"source": "erp"}, now=now)  # fmt: skip
    assert changed.outcomes == [UNCHANGED, UPDATED]
    (update,) = changed.updates
    assert table.changed(update, old=True) == {"amount": Decimal("2.00")}
    assert table.changed(update, old=False) == {"amount": Decimal("3")}
    assert table.accounts_left(changed.updates) == {account.pk}
    other = table.upsert(["F-1"], _costs(account.pk, "9"), scope={"source": "crm"}, now=now)
    assert other.outcomes == [INSERTED]
    stored = CostToServe.objects.order_by("source", "external_id")
    assert [(c.source, c.external_id, c.amount) for c in stored] == [
        ("crm", "F-1", Decimal("9.00")),
        ("erp", "F-1", Decimal("1.50")),
        ("erp", "F-2", Decimal("3.00")),
    ]


def test_a_key_repeated_with_other_values_is_a_conflict_and_stored_once() -> None:
    account = AccountFactory.create()
    table = KeyedTable(CostToServe, fields=COST_FIELDS)
    done = table.upsert(["F-1", "F-1", "F-1"], _costs(account.pk, "1", "1", "2"),
                        scope={"source": "erp"}, now=timezone.now(), numbers=[7, 8, 9])  # fmt: skip
    assert done.outcomes == [INSERTED, UNCHANGED, CONFLICT]
    assert [(c.at, c.key, c.earlier) for c in done.conflicts] == [(2, "F-1", 7)]
    assert CostToServe.objects.get().amount == Decimal("1.00")


def test_an_invoice_without_due_date_falls_due_after_its_accounts_payment_terms() -> None:
    net30 = AccountFactory.create(payment_terms_days=30)
    net60 = AccountFactory.create(payment_terms_days=60)
    day = dt.date(2026, 1, 31)
    terms: dict[int, int] = {}
    due = due_dates(
        invoice_date=[day, day, day],
        due_date=[None, None, dt.date(2026, 2, 1)],
        account_id=[net30.pk, net60.pk, net60.pk],
        terms=terms,
    )
    assert due == [dt.date(2026, 3, 2), dt.date(2026, 4, 1), dt.date(2026, 2, 1)]
    assert terms == {net30.pk: 30, net60.pk: 60}
