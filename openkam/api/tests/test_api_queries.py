"""List and bulk endpoints run a fixed number of queries, however many rows they return or
write (no N+1): measured with few and many rows, and pinned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.factories import AccountFactory, ContactFactory, ProductFactory
from openkam.interactions.models import Interaction
from openkam.ledger.models import Invoice, Order, Payment
from openkam.web.tests.builders import add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Token (with its user), count, page.
PAGED_LIST = 3
# Token, page (+1 row to know there is a next), and for orders the prefetched lines.
CURSOR_LIST = 2


def queries(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = (
            client.get(path, body) if method == "get" else getattr(client, method)(path, body)
        )
    assert response.status_code == 200, response.json()
    return len(captured.captured_queries)


def grow(world: World, n: int) -> None:
    for _ in range(n):
        account = AccountFactory.create(team=world.team, owner=world.kam)
        ContactFactory.create(account=account)
        add_snapshot(account, as_of=dt.date(2026, 11, 30))
        order = Order.objects.create(
            account=account, order_no="x", order_date="2026-01-01", external_id=f"o{account.pk}"
        )
        invoice = Invoice.objects.create(
            account=account,
            order=order,
            invoice_no="x",
            invoice_date="2026-01-01",
            due_date="2026-02-01",
            external_id=f"i{account.pk}",
        )
        Payment.objects.create(
            account=account,
            invoice=invoice,
            payment_date="2026-02-01",
            external_id=f"p{account.pk}",
        )
        interaction = Interaction.objects.create(
            account=account, starts_at=timezone.now(), subject="回访", created_by=world.kam
        )
        interaction.our_participants.set([world.kam])
        interaction.their_participants.set(account.contacts.all())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/accounts", PAGED_LIST),
        ("/contacts", PAGED_LIST),
        ("/snapshots", PAGED_LIST),
        ("/interactions", PAGED_LIST + 2),  # + our and their participants
        ("/orders", CURSOR_LIST + 1),
        ("/invoices", CURSOR_LIST),
        ("/payments", CURSOR_LIST),
        ("/costs-to-serve", CURSOR_LIST),
    ],
)
def test_lists_run_a_fixed_number_of_queries(world: World, path: str, expected: int) -> None:
    client = api_for(world.kam)
    client.get("/accounts")  # the first call records last_used_at, once a minute
    grow(world, 2)
    few = queries(client, "get", path)
    grow(world, 8)
    assert queries(client, "get", path) == few == expected


def test_a_bulk_upsert_runs_a_fixed_number_of_queries(world: World) -> None:
    ProductFactory.create(sku="TM-100")
    client = api_for(world.executive)
    client.get("/accounts")

    def items(n: int, start: int) -> list[dict[str, Any]]:
        return [
            {
                "source": "erp",
                "external_id": f"SO-{i}",
                "account_id": world.account.pk,
                "order_no": f"SO-{i}",
                "order_date": "2026-03-01",
                "lines": [
                    {"line_no": 1, "product_sku": "TM-100", "quantity": "1", "unit_price": "9"},
                    {"line_no": 2, "product_sku": "TM-100", "quantity": "2", "unit_price": "9"},
                ],
            }
            for i in range(start, start + n)
        ]

    # Token, accounts, orders, permission, products, stored lines and the lines' external IDs
    # (one query: a line keyed <order>/<line_no> may already be another order's), then the
    # ledger's write path (per table: the stored keys, one INSERT executemany, the new ids)
    # and the aggregates (one DELETE and one INSERT ... SELECT per table: months, purchase days,
    # delivery months).
    few = queries(client, "post", "/orders/bulk", {"items": items(2, 0)})
    many = queries(client, "post", "/orders/bulk", {"items": items(30, 100)})
    assert many == few == 21
    unchanged = queries(client, "post", "/orders/bulk", {"items": items(30, 100)})
    assert unchanged < few  # nothing written, no aggregates rebuilt
