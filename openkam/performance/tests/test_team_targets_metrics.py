"""Every target metric the issue names (sales, gross margin, collections 回款, new key
accounts) is set for the team, decomposed to its KAMs and shown against its actual, on the
team page; a count is split in whole accounts; a bad metric or a KAM's attempt saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory, MembershipFactory, UserFactory
from openkam.ledger.models import Payment
from openkam.performance.models import Level, Metric, Target
from openkam.performance.services import split_by_weights, target_suggest_split
from openkam.team.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _set(world: World, metric: str, amount: str) -> Any:
    return client_for(world.director).post(
        reverse("performance:team_target", args=[world.team.pk]),
        {"year": "2026", "amount": amount, "metric": metric},
    )


@pytest.mark.parametrize("metric", [m.value for m in Metric])
def test_the_director_sets_each_metrics_team_target(world: World, metric: str) -> None:
    response = _set(world, metric, "1200")
    page = reverse("performance:team", args=[world.team.pk])
    assert response["Location"] == f"{page}?year=2026&metric={metric}"
    target = Target.objects.get(level=Level.TEAM, team=world.team, metric=metric)
    assert target.amount == Decimal("1200")
    response = client_for(world.director).get(page, {"year": "2026", "metric": metric})
    shown = response.content.decode()
    assert f'data-metric="{metric}"' in shown
    assert 'data-testid="decompose-form"' in shown


def test_collections_and_margin_show_each_kams_actual(world: World) -> None:
    AccountMonthFactory.create(
        account=world.account, month=dt.date(2026, 2, 1), revenue=1000, cost=600
    )
    Payment.objects.create(account=world.account, payment_date=dt.date(2026, 3, 5), amount=700)
    Payment.objects.create(account=world.account, payment_date=dt.date(2025, 12, 5), amount=99)
    Payment.objects.create(
        account=world.other_account, payment_date=dt.date(2026, 3, 5), amount=5000
    )
    _set(world, Metric.COLLECTIONS, "1400")
    parent = Target.objects.get(metric=Metric.COLLECTIONS, level=Level.TEAM)
    director = client_for(world.director)
    director.post(
        reverse("performance:decompose", args=[parent.pk]), {f"kam_{world.kam.pk}": "1400"}
    )
    page = reverse("performance:team", args=[world.team.pk])
    shown = director.get(page, {"year": "2026", "metric": "collections"}).content.decode()
    row = shown.split(f'data-kam="{world.kam.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "¥700" in row  # this year's payments of the KAM's accounts only
    assert "50.0%" in row
    card = shown.split('data-testid="attainment-collections"', 1)[1].split("</a>", 1)[0]
    assert "50.0%" in card
    _set(world, Metric.MARGIN, "800")
    margin = director.get(page, {"year": "2026", "metric": "margin"}).content.decode()
    assert "¥400" in margin.split(f'data-kam="{world.kam.pk}"', 1)[1].split("</tr>", 1)[0]


def test_new_key_accounts_are_counted_and_split_in_whole_accounts(world: World) -> None:
    second = UserFactory.create(username="kam3", role=Role.KAM)
    MembershipFactory.create(team=world.team, user=second)
    for owner, revenue in ((world.kam, 2000), (second, 1000)):
        account = AccountFactory.create(team=world.team, owner=owner, tier=Tier.KEY)
        AccountMonthFactory.create(account=account, month=dt.date(2025, 5, 1), revenue=revenue)
    fresh = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)
    AccountMonthFactory.create(account=fresh, month=dt.date(2026, 4, 1), revenue=10)
    _set(world, Metric.NEW_KEY_ACCOUNTS, "5")
    parent = Target.objects.get(metric=Metric.NEW_KEY_ACCOUNTS)
    split = {kam.pk: amount for kam, amount in target_suggest_split(parent=parent)}
    assert split == {world.kam.pk: Decimal("3"), second.pk: Decimal("2")}
    page = reverse("performance:team", args=[world.team.pk])
    shown = client_for(world.director).get(page, {"year": "2026", "metric": "new_key_accounts"})
    row = shown.content.decode().split(f'data-kam="{world.kam.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="kam-actual">1<' in row


def test_whole_units_split_by_largest_remainder() -> None:
    one = Decimal("1")
    assert split_by_weights(Decimal("5"), [one] * 3, one) == [2, 2, 1]
    assert split_by_weights(Decimal("7"), [Decimal("0")] * 2, one) == [4, 3]


def test_an_unknown_metric_is_refused_and_nothing_saved(world: World) -> None:
    _set(world, "profit_of_the_moon", "10")
    assert not Target.objects.exists()


def test_a_kam_may_not_set_a_collections_target(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("performance:team_target", args=[world.team.pk]),
        {"year": "2026", "amount": "1", "metric": "collections"},
    )
    assert response.status_code == 403
    assert not Target.objects.exists()
