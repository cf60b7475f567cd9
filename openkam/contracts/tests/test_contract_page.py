"""A contract's page: the execution against the ledger with its chart data, terms, amendments,
files and versions; the writers' steps offered only to writers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]
# session, user, contract, covered, visible, ledger, items x2, amendments, files, versions,
# renewal, deliveries
DETAIL_QUERIES = 13


def test_the_page_shows_the_shortfall_against_the_ledger(world: World) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account, committed_value=Decimal("1200000"))
    bought(world.account, product, on=dt.date(2026, 2, 10), amount="250000")
    response = client_for(world.kam).get(reverse("contracts:detail", args=[deal.pk]))
    assert response.status_code == 200
    execution = response.context["execution"]
    # 2026-06-01: 5 whole months + 1/30 of June elapsed, of 12: due 1,200,000 x 5.0333/12.
    assert execution.total.due == Decimal("503333.33")
    assert execution.shortfall == Decimal("253333.33")
    page = response.content.decode()
    assert 'id="execution-data"' in page
    assert "data-contract-chart" in page
    assert "Shortfall" in page
    # the currency as people name it, never the ISO code alone
    assert '<div class="datagrid-content">Renminbi ¥</div>' in page
    assert ">CNY<" not in page


def test_a_viewer_reads_the_page_without_the_writers_steps(world: World) -> None:
    deal = contract(world.account, signed=False)
    page = client_for(world.viewer).get(reverse("contracts:detail", args=[deal.pk]))
    assert page.status_code == 200
    assert 'data-testid="sign-contract"' not in page.content.decode()
    assert 'data-testid="edit-contract"' not in page.content.decode()
    writer = client_for(world.kam).get(reverse("contracts:detail", args=[deal.pk]))
    assert 'data-testid="sign-contract"' in writer.content.decode()


def test_another_teams_contract_is_not_found(world: World) -> None:
    deal = contract(world.other_account)
    assert client_for(world.kam).get(reverse("contracts:detail", args=[deal.pk])).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account, items=[{"family": "曳引机", "amount": Decimal("10")}])
    bought(world.account, product, on=dt.date(2026, 2, 10), amount="250")
    client = client_for(world.kam)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("contracts:detail", args=[deal.pk]))
    bought(world.account, product, on=dt.date(2026, 3, 10), amount="250")
    deal.items.create(family="门机", amount=Decimal("5"))
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("contracts:detail", args=[deal.pk]))
