"""Execution against a hand-built ledger: contracted against actual value and volume, pro
rata to the elapsed share, shortfall per item, price paid against the contracted price."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from openkam.conftest import World
from openkam.contracts.execution import covered_ids, executions
from openkam.contracts.selectors import execution_for
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import AccountFactory, ProductFactory

pytestmark = pytest.mark.django_db
END_OF_MARCH = dt.date(2026, 3, 31)


def test_a_year_of_1_2_million_three_months_in_with_250_000_bought_is_50_000_short(
    world: World,
) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account, committed_value=Decimal("1200000"))
    bought(world.account, product, on=dt.date(2026, 1, 15), amount="100000")
    bought(world.account, product, on=dt.date(2026, 3, 2), amount="150000")
    bought(world.account, product, on=dt.date(2026, 4, 2), amount="999999")  # after as_of
    bought(world.account, product, on=dt.date(2025, 12, 30), amount="999999")  # before
    bought(world.account, product, on=dt.date(2026, 2, 2), amount="999999", status="cancelled")
    (run,) = executions([deal], as_of=END_OF_MARCH)
    assert run.share == Decimal("0.25")
    assert run.total.contracted == Decimal("1200000")
    assert run.total.due == Decimal("300000.00")
    assert run.total.actual == Decimal("250000")
    assert run.total.gap == Decimal("-50000.00")
    assert run.shortfall == Decimal("50000.00")
    assert run.total.gap_rate == Decimal("-50000") / Decimal("300000")


def test_items_measure_value_volume_and_price_per_family_or_product(world: World) -> None:
    machine = ProductFactory.create(family="曳引机")
    door = ProductFactory.create(family="门机")
    other_door = ProductFactory.create(family="门机")
    items = [
        {"family": "曳引机", "unit_price": Decimal("5000"), "quantity": Decimal("120"),
         "amount": Decimal("600000")},
        {"product": door, "unit_price": Decimal("1000"), "quantity": Decimal("400"),
         "amount": Decimal("400000")},
    ]  # fmt: skip
    deal = contract(world.account, items=items)
    bought(world.account, machine, on=dt.date(2026, 2, 1), amount="168000", quantity="32")
    bought(world.account, door, on=dt.date(2026, 3, 1), amount="99000", quantity="90")
    bought(world.account, other_door, on=dt.date(2026, 3, 1), amount="7777", quantity="7")
    (run,) = executions([deal], as_of=END_OF_MARCH)
    machines, doors = run.items
    # 120 a year, a quarter elapsed: 30 due, 32 bought; 150,000 due, 168,000 bought.
    assert (machines.volume.due, machines.volume.actual) == (Decimal("30.00"), Decimal("32"))
    assert machines.value.gap == Decimal("18000.00")
    assert machines.price_paid == Decimal("5250.0000")  # 168,000 / 32
    assert machines.price_gap_rate == Decimal("0.05")
    # The door item names one product: the other door's purchase does not count.
    assert (doors.volume.due, doors.volume.actual) == (Decimal("100.00"), Decimal("90"))
    assert doors.value.gap == Decimal("-1000.00")  # 99,000 against 100,000 due
    assert doors.price_paid == Decimal("1100.0000")
    # With no contract-level value, the total is the items' sum over their own purchases.
    assert run.total.contracted == Decimal("1000000")
    assert run.total.actual == Decimal("267000")


def test_a_group_contract_counts_subsidiaries_but_not_for_a_reader_who_cannot_see_them(
    world: World,
) -> None:
    product = ProductFactory.create(family="曳引机")
    hidden = AccountFactory.create(parent=world.account, team=world.other_team)
    seen = AccountFactory.create(parent=world.account, team=world.team)
    deal = contract(world.account, covers_group=True, committed_value=Decimal("1200000"))
    assert covered_ids([deal])[deal.pk] == {world.account.pk, hidden.pk, seen.pk}
    bought(seen, product, on=dt.date(2026, 1, 5), amount="200000")
    bought(hidden, product, on=dt.date(2026, 1, 5), amount="70000")
    assert execution_for(deal, user=world.executive, as_of=END_OF_MARCH).total.actual == 270000
    as_kam = execution_for(deal, user=world.kam, as_of=END_OF_MARCH)
    assert as_kam.total.actual == Decimal("200000")
    assert as_kam.hidden_members == 1


def test_purchases_in_another_currency_do_not_count(world: World) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account, committed_value=Decimal("1200000"))
    bought(world.account, product, on=dt.date(2026, 1, 5), amount="5000", currency="USD")
    (run,) = executions([deal], as_of=END_OF_MARCH)
    assert run.total.actual == 0


def test_the_chart_runs_the_purchases_against_the_straight_pro_rata_line(world: World) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account, committed_value=Decimal("1200000"))
    bought(world.account, product, on=dt.date(2026, 1, 15), amount="100000")
    bought(world.account, product, on=dt.date(2026, 3, 2), amount="150000")
    chart = executions([deal], as_of=END_OF_MARCH)[0].chart()
    assert chart["months"][:3] == ["2026-01", "2026-02", "2026-03"]
    assert chart["actual"][:3] == [100000.0, 0.0, 150000.0]
    assert chart["cumulative"][2] == 250000.0
    assert chart["due"][2] == 300000.0
    assert chart["due"][11] == 1200000.0


def test_many_contracts_read_the_ledger_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    product = ProductFactory.create(family="曳引机")
    deals = [contract(world.account, committed_value=Decimal("1000")) for _ in range(3)]
    deals.append(contract(world.other_account, committed_value=Decimal("1000")))
    bought(world.other_account, product, on=dt.date(2026, 1, 5), amount="10")
    for deal in deals:
        deal.items.all()  # prefetched by callers; here each is one query below
    from openkam.contracts.models import Contract

    loaded = list(Contract.objects.filter(pk__in=[d.pk for d in deals]).prefetch_related("items"))
    with django_assert_num_queries(2):  # covered companies, the ledger sums
        runs = executions(loaded, as_of=END_OF_MARCH)
    assert [run.total.actual for run in runs] == [0, 0, 0, 10]
