"""A team's year target: the suggested split to its KAMs by last year's sales, the director's
adjustment, the gap between top-down and bottom-up, and the monthly split to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.common.errors import ValidationError
from openkam.conftest import World
from openkam.factories import AccountFactory, AccountMonthFactory, MembershipFactory, UserFactory
from openkam.performance.models import Level, Metric, Target
from openkam.performance.services import (
    split_by_weights,
    target_decompose,
    target_gap,
    target_set,
    target_suggest_split,
)
from openkam.team.models import Role

pytestmark = pytest.mark.django_db


def team_target(world: World, amount: str = "1000000") -> Target:
    return target_set(
        user=world.director,
        year=2026,
        level=Level.TEAM,
        metric=Metric.SALES,
        amount=Decimal(amount),
        team=world.team,
    )


def test_the_year_is_split_evenly_over_twelve_months_to_the_cent(world: World) -> None:
    target = team_target(world, "100")
    months = target.month_amounts()
    assert sum(months) == Decimal("100")
    assert months[0] == Decimal("8.33")
    assert months[-1] == Decimal("8.34")
    assert target.quarter_amounts() == [
        Decimal("24.99"),
        Decimal("24.99"),
        Decimal("25.00"),
        Decimal("25.02"),
    ]


def test_months_that_do_not_add_up_are_refused_on_the_months_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        target_set(
            user=world.director,
            year=2026,
            level=Level.TEAM,
            metric=Metric.SALES,
            amount=Decimal("1200"),
            team=world.team,
            months=["100"] * 11 + ["99.98"],
        )
    assert "months" in refused.value.message_dict
    assert not Target.objects.exists()


def test_the_suggested_split_follows_last_years_sales_share(world: World) -> None:
    second = UserFactory.create(username="kam3", role=Role.KAM)
    MembershipFactory.create(team=world.team, user=second)
    AccountMonthFactory.create(account=world.account, month=dt.date(2025, 3, 1), revenue=300)
    theirs = AccountFactory.create(team=world.team, owner=second)
    AccountMonthFactory.create(account=theirs, month=dt.date(2025, 7, 1), revenue=100)
    # This year's sales do not count, nor another team's.
    AccountMonthFactory.create(account=theirs, month=dt.date(2026, 1, 1), revenue=10_000)
    AccountMonthFactory.create(account=world.other_account, month=dt.date(2025, 1, 1))

    split = dict(target_suggest_split(parent=team_target(world, "1000000")))

    assert split == {world.kam: Decimal("750000.00"), second: Decimal("250000.00")}


def test_the_even_split_ignores_history(world: World) -> None:
    second = UserFactory.create(username="kam3", role=Role.KAM)
    MembershipFactory.create(team=world.team, user=second)
    AccountMonthFactory.create(account=world.account, month=dt.date(2025, 3, 1), revenue=300)
    split = dict(target_suggest_split(parent=team_target(world, "100.01"), basis="even"))
    assert sorted(split.values()) == [Decimal("50.00"), Decimal("50.01")]


def test_a_split_by_weights_adds_up_to_the_cent() -> None:
    assert split_by_weights(Decimal("100"), [Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


def test_the_director_adjusts_and_the_gap_is_shown_not_refused(world: World) -> None:
    parent = team_target(world, "1000000")
    [child] = target_decompose(
        user=world.director, parent=parent, amounts={world.kam.pk: Decimal("900000")}
    )
    assert (child.level, child.kam, child.team, child.parent) == (
        Level.KAM,
        world.kam,
        world.team,
        parent,
    )
    # The child follows the parent's monthly profile and adds up to its own amount.
    assert sum(child.month_amounts()) == Decimal("900000")
    assert target_gap(parent) == Decimal("100000.00")


def test_a_kam_outside_the_team_is_refused_on_the_amounts_field(world: World) -> None:
    parent = team_target(world)
    with pytest.raises(ValidationError) as refused:
        target_decompose(
            user=world.director, parent=parent, amounts={world.other_kam.pk: Decimal("1")}
        )
    assert "amounts" in refused.value.message_dict
    assert parent.children.count() == 0
