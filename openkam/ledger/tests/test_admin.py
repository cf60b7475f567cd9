"""The ledger pages of the back office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from openkam.accounts.models import Account
from openkam.common.admin import EstimatedCountPaginator
from openkam.common.tests.test_admin_pages import admin_form_data
from openkam.conftest import client_for
from openkam.factories import AccountFactory, AccountMonthFactory, ProductFactory
from openkam.ledger.models import AccountMonth, Order, OrderLine, Product
from openkam.team.models import User

ORDERS = reverse("admin:ledger_order_changelist")
ADD_ORDER = reverse("admin:ledger_order_add")


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    return client_for(superuser)


def order_with_lines(account: Account, *amounts: str, source: str = "manual") -> Order:
    order = Order.objects.create(
        account=account,
        order_no=f"SO-{Order.objects.count() + 1}",
        order_date=dt.date(2026, 3, 1),
        source=source,
    )
    product = ProductFactory.create()
    for line_no, amount in enumerate(amounts, start=1):
        OrderLine.objects.create(
            order=order,
            account=account,
            product=product,
            line_no=line_no,
            quantity=Decimal("1"),
            unit_price=Decimal(amount),
            amount=Decimal(amount),
        )
    return order


def orders_of_their_own_accounts(count: int) -> None:
    for _ in range(count):
        order_with_lines(AccountFactory.create(), "100", "50")


def test_the_order_list_makes_no_more_queries_for_20_rows_than_for_3(
    superuser_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    orders_of_their_own_accounts(3)
    superuser_client.get(ORDERS)
    with CaptureQueriesContext(connection) as three_rows:
        response = superuser_client.get(ORDERS)
    assert len(response.context["cl"].result_list) == 3

    orders_of_their_own_accounts(17)
    with django_assert_max_num_queries(len(three_rows)):
        response = superuser_client.get(ORDERS)

    assert len(response.context["cl"].result_list) == 20


def test_the_order_list_shows_the_amount_of_the_lines(superuser_client: Client) -> None:
    order_with_lines(AccountFactory.create(), "300.00", "200.50")

    response = superuser_client.get(ORDERS)

    (order,) = response.context["cl"].result_list
    assert order.amount_of_lines == Decimal("500.50")
    assert "500.50" in response.content.decode()


def test_the_order_list_is_searched_by_order_number_and_account_name(
    superuser_client: Client,
) -> None:
    wanted = order_with_lines(AccountFactory.create(legal_name="广州日立电梯有限公司"), "1")
    order_with_lines(AccountFactory.create(), "1")

    by_number = superuser_client.get(ORDERS, {"q": wanted.order_no})
    by_account = superuser_client.get(ORDERS, {"q": "广州日立"})

    assert list(by_number.context["cl"].result_list) == [wanted]
    assert list(by_account.context["cl"].result_list) == [wanted]


def test_the_source_filter_offers_the_sources_and_filters_by_them(
    superuser_client: Client,
) -> None:
    account = AccountFactory.create()
    from_sap = order_with_lines(account, "1", source="sap")
    order_with_lines(account, "1", source="manual")

    response = superuser_client.get(ORDERS, {"source": "sap"})

    (source_filter,) = (
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "source"
    )
    assert [value for value, _ in source_filter.lookup_choices] == ["manual", "sap"]
    assert list(response.context["cl"].result_list) == [from_sap]


def test_lines_added_on_the_order_page_take_the_orders_account_and_currency(
    superuser_client: Client,
) -> None:
    account = AccountFactory.create()
    product = ProductFactory.create()

    response = superuser_client.post(
        ADD_ORDER,
        {
            "account": account.pk,
            "order_no": "SO-NEW",
            "order_date": "2026-04-01",
            "status": Order.Status.OPEN,
            "currency": "USD",
            "source": "manual",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-line_no": "1",
            "lines-0-product": product.pk,
            "lines-0-quantity": "2",
            "lines-0-unit_price": "150",
            "lines-0-amount": "300",
            "lines-0-unit_cost": "100",
            "lines-0-cost": "200",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    line = OrderLine.objects.get(order__order_no="SO-NEW")
    assert (line.account, line.currency) == (account, "USD")
    assert (line.product, line.amount) == (product, Decimal("300"))


def test_moving_an_order_to_another_account_moves_its_lines(superuser_client: Client) -> None:
    order = order_with_lines(AccountFactory.create(), "100", "50")
    new_account = AccountFactory.create()
    url = reverse("admin:ledger_order_change", args=[order.pk])
    data = admin_form_data(superuser_client.get(url))
    response = superuser_client.post(url, {**data, "account": new_account.pk})

    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(order.lines.values_list("account", flat=True)) == {new_account.pk}


def test_account_months_cannot_be_added_changed_or_deleted_in_the_admin(
    superuser_client: Client,
) -> None:
    month = AccountMonthFactory.create()
    change = reverse("admin:ledger_accountmonth_change", args=[month.pk])

    changelist = superuser_client.get(reverse("admin:ledger_accountmonth_changelist"))
    add = superuser_client.get(reverse("admin:ledger_accountmonth_add"))
    view = superuser_client.get(change)
    post = superuser_client.post(change, {"revenue": "1"})
    delete = superuser_client.post(
        reverse("admin:ledger_accountmonth_delete", args=[month.pk]), {"post": "yes"}
    )

    assert changelist.status_code == 200
    assert changelist.context["has_add_permission"] is False
    assert add.status_code == 403
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert post.status_code == 403
    assert delete.status_code == 403
    assert AccountMonth.objects.get(pk=month.pk).revenue == month.revenue


def test_a_filtered_ledger_list_is_counted_exactly(db: None) -> None:
    ProductFactory.create_batch(3)

    paginator = EstimatedCountPaginator(Product.objects.filter(unit="pcs"), 100)

    assert paginator.count == 3


def test_an_unfiltered_ledger_list_is_counted_from_the_planner_statistics_on_postgresql(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the estimate is read from PostgreSQL's pg_class")
    ProductFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_product")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'ledger_product'")
        (estimate,) = cursor.fetchone() or (None,)
    monkeypatch.setattr(EstimatedCountPaginator, "estimate_above", -1)

    paginator = EstimatedCountPaginator(Product.objects.all(), 100)

    assert paginator.count == (estimate if estimate is not None and estimate >= 0 else 3)
