"""Edits to orders and lines in the back office keep the aggregates equal to the lines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openkam.factories import AccountFactory, UserFactory
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, Order, OrderLine
from openkam.ledger.services import aggregates_rebuild
from openkam.ledger.tests.test_aggregates import order

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_ledger() -> Client:
    client = Client()
    client.force_login(UserFactory.create(username="boss", is_staff=True, is_superuser=True))
    return client


def test_changing_a_line_amount_updates_the_month(admin_client_for_ledger: Client) -> None:
    account = AccountFactory.create()
    sale = order(account, dt.date(2026, 2, 3), ["100.00"])
    aggregates_rebuild()
    line = OrderLine.objects.get(order=sale)
    url = reverse("admin:ledger_orderline_change", args=[line.pk])
    response = admin_client_for_ledger.post(
        url,
        {
            "order": sale.pk,
            "line_no": 1,
            "product": line.product_id,
            "quantity": "2",
            "delivered_quantity": "",
            "unit_price": "60",
            "amount": "120.00",
            "tax_rate": "",
            "tax_amount": "0.00",
            "unit_cost": "25",
            "cost": "50.00",
            "promised_date": "",
            "delivered_date": "",
            "source": "manual",
            "external_id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccountMonth.objects.get(account=account).revenue == Decimal("120")
    assert AccountPurchaseDay.objects.get(account=account).revenue == Decimal("120")


def test_deleting_an_order_removes_its_figures(admin_client_for_ledger: Client) -> None:
    account = AccountFactory.create()
    keep = order(account, dt.date(2026, 2, 3), ["100.00"])
    drop = order(account, dt.date(2026, 3, 3), ["40.00"])
    aggregates_rebuild()
    url = reverse("admin:ledger_order_delete", args=[drop.pk])
    response = admin_client_for_ledger.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Order.objects.filter(pk=drop.pk).exists()
    months = dict(AccountMonth.objects.filter(account=account).values_list("month", "revenue"))
    assert months == {keep.order_date.replace(day=1): Decimal("100")}
