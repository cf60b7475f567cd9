"""The back office's invoice and payment lists show, beside the amount in the company
currency, the document's own currency, amount and rate (原币) when it was converted; nothing
for a document in the company currency. Its change page shows them, not for editing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.ledger.models import Invoice, Payment
from openkam.team.models import User

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 5)


def _invoices(world: World) -> tuple[Invoice, Invoice]:
    usd = Invoice.objects.create(
        account=world.account, invoice_no="INV-USD", invoice_date=DAY, due_date=DAY,
        amount=Decimal("8049.44"), original_currency="USD", original_amount=Decimal("1130.00"),
        exchange_rate=Decimal("7.1234"),
    )  # fmt: skip
    cny = Invoice.objects.create(
        account=world.account, invoice_no="INV-CNY", invoice_date=DAY, due_date=DAY,
        amount=Decimal("500.00"),
    )  # fmt: skip
    return usd, cny


@pytest.mark.parametrize(("language", "caption"), [("zh-hans", "原币"), ("en", "Original")])
def test_the_invoice_list_has_an_original_currency_column(
    world: World, superuser: User, language: str, caption: str
) -> None:
    _invoices(world)
    client: Client = client_for(superuser)
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:ledger_invoice_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f">{caption}</a>" in html or f">{caption}</span>" in html
    cells = re.findall(r'<td class="field-original">(.*?)</td>', html)
    # The CNY invoice: the list's mark for an empty value, no currency.
    assert sorted(cells) == sorted(["USD 1,130.00 @ 7.1234", admin.site.empty_value_display])


def test_the_payment_list_and_page_show_the_original_amount(world: World, superuser: User) -> None:
    payment = Payment.objects.create(
        account=world.account, payment_date=DAY, amount=Decimal("2399.98"),
        original_currency="USD", original_amount=Decimal("333.33"), exchange_rate=Decimal("7.2"),
    )  # fmt: skip
    client = client_for(superuser)
    listed = client.get(reverse("admin:ledger_payment_changelist")).content.decode()
    assert '<td class="field-original">USD 333.33 @ 7.2</td>' in listed
    page = client.get(reverse("admin:ledger_payment_change", args=[payment.pk])).content.decode()
    assert 'name="original_amount"' not in page  # shown, not edited
    assert '<div class="readonly">333.33</div>' in page
    assert '<div class="readonly">7.200000</div>' in page
