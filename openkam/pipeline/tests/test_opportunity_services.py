"""The services: open, change, move (forward, back, won with its orders, lost with a reason),
each logging the move; refusals name the field and save nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.factories import ProductFactory
from openkam.ledger.models import Order
from openkam.pipeline import services
from openkam.pipeline.models import Opportunity, Stage, StageChange

pytestmark = pytest.mark.django_db


def _open(world: World, **fields: object) -> Opportunity:
    values: dict[str, object] = {
        "account_id": world.account.pk,
        "title": "扶梯更新",
        "amount": Decimal("300000"),
        "expected_close": dt.date(2026, 9, 30),
    }
    return services.opportunity_create(user=world.kam, **(values | fields))  # type: ignore[arg-type]


def _order(account: Account, no: str) -> Order:
    return Order.objects.create(
        account=account, order_no=no, order_date=dt.date(2026, 5, 1), source="ERP",
        external_id=no,
    )  # fmt: skip


def test_a_kam_opens_an_opportunity_owned_by_them_at_needs_analysis(world: World) -> None:
    product = ProductFactory.create(family="扶梯")
    opened = _open(world, product_ids=[product.pk], families="扶梯")
    assert (opened.stage, opened.owner, opened.currency) == ("needs_analysis", world.kam, "CNY")
    assert list(opened.products.all()) == [product]
    assert list(StageChange.objects.values_list("from_stage", "to_stage")) == [
        ("", "needs_analysis")
    ]


def test_moves_are_logged_and_won_links_the_accounts_orders(world: World) -> None:
    opened = _open(world)
    for stage in ("solution_design", "quotation", "negotiation"):
        services.opportunity_move_stage(user=world.kam, opportunity=opened, stage=stage)
    order = _order(world.account, "SO-1")
    services.opportunity_win(user=world.kam, opportunity=opened, order_ids=[order.pk])
    opened.refresh_from_db()
    assert (opened.stage, opened.closed_on is not None) == ("won", True)
    assert list(opened.orders.all()) == [order]
    assert list(StageChange.objects.values_list("to_stage", flat=True)) == [
        "needs_analysis", "solution_design", "quotation", "negotiation", "won",
    ]  # fmt: skip
    assert opened.history.count() >= 5


def test_another_accounts_order_is_refused_and_nothing_is_won(world: World) -> None:
    opened = _open(world)
    theirs = _order(world.other_account, "SO-9")
    with pytest.raises(ValidationError) as refused:
        services.opportunity_win(user=world.kam, opportunity=opened, order_ids=[theirs.pk])
    assert set(refused.value.message_dict) == {"order_ids"}
    opened.refresh_from_db()
    assert opened.stage == "needs_analysis"
    assert StageChange.objects.count() == 1


def test_lost_needs_a_reason_and_keeps_it(world: World) -> None:
    opened = _open(world)
    with pytest.raises(ValidationError) as refused:
        services.opportunity_move_stage(user=world.kam, opportunity=opened, stage="lost")
    assert set(refused.value.message_dict) == {"reason"}
    assert Opportunity.objects.get().stage == "needs_analysis"
    services.opportunity_lose(user=world.kam, opportunity=opened, reason="价格高于奥的斯 8%")
    lost = Opportunity.objects.get()
    assert (lost.stage, lost.lost_reason) == ("lost", "价格高于奥的斯 8%")
    services.opportunity_move_stage(user=world.kam, opportunity=lost, stage="negotiation")
    reopened = Opportunity.objects.get()
    assert (reopened.stage, reopened.lost_reason, reopened.closed_on) == ("negotiation", "", None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"stage": Stage.WON}, "stage"),
        ({"owner_id": 999999}, "owner_id"),
        ({"product_ids": [999999]}, "product_ids"),
        ({"competitor_ids": [999999]}, "competitor_ids"),
    ],
)
def test_a_bad_opportunity_is_refused_naming_the_field(
    world: World, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(world, **fields)
    assert field in refused.value.message_dict
    assert not Opportunity.objects.exists()
    assert not StageChange.objects.exists()


def test_the_stage_is_not_changed_by_an_update(world: World) -> None:
    opened = _open(world)
    with pytest.raises(ValidationError):
        services.opportunity_update(user=world.kam, opportunity=opened, changes={"stage": "won"})
    services.opportunity_update(
        user=world.kam, opportunity=opened, changes={"amount": Decimal("1"), "next_step": "报价"}
    )
    assert Opportunity.objects.values_list("amount", "next_step", "stage").get() == (
        Decimal("1.00"), "报价", "needs_analysis",
    )  # fmt: skip


def test_readers_and_other_teams_are_refused(world: World) -> None:
    with pytest.raises(NotFound):
        services.opportunity_create(
            user=world.other_kam, account_id=world.account.pk, title="x",
            amount=Decimal("1"), expected_close=dt.date(2026, 9, 1),
        )  # fmt: skip
    opened = _open(world)
    for reader in (world.viewer, world.analyst):
        with pytest.raises(PermissionDenied):
            services.opportunity_move_stage(user=reader, opportunity=opened, stage="quotation")
    assert Opportunity.objects.get().stage == "needs_analysis"
