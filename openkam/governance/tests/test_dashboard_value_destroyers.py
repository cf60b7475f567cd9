"""The dashboard shows the value destroyers (issue 11): the accounts the user sees whose net
customer value is negative, how many, what they cost in all, and the five worst linked to
their pages; an unknown net value (None) is not a loss."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS_OF = dt.date(2026, 6, 30)


def test_the_worst_five_and_the_count_of_value_destroyers(world: World) -> None:
    run = add_run(AS_OF)
    losses = [-10, -70, -30, -50, -20, -60]  # thousand CNY; six destroyers in team one
    mine = []
    for n, loss in enumerate(losses):
        account = AccountFactory.create(team=world.team, owner=world.kam, short_name=f"亏损{n}")
        add_snapshot(account, as_of=AS_OF, run=run, clv_net=Decimal(loss * 1000))
        mine.append(account)
    add_snapshot(world.account, as_of=AS_OF, run=run, clv_net=Decimal("90000"))
    add_snapshot(world.unassigned_account, as_of=AS_OF, run=run, clv_net=None)
    add_snapshot(world.other_account, as_of=AS_OF, run=run, clv_net=Decimal("-999000"))
    response = client_for(world.kam).get(reverse("home"))
    destroyers = response.context["dashboard"].figures["destroyers"]
    assert destroyers["count"] == 6  # not the other team's
    assert destroyers["loss"] == -240000.0
    assert [d["name"] for d in destroyers["worst"]] == ["亏损1", "亏损5", "亏损3", "亏损2", "亏损4"]
    assert destroyers["worst"][0]["clv_net"] == -70000.0
    content = response.content.decode()
    assert content.count('data-testid="destroyer"') == 5
    assert reverse("accounts:detail", args=[mine[1].pk]) in content
    assert "6 accounts have a negative net customer value" in content


def test_no_destroyer_says_so(world: World) -> None:
    run = add_run(AS_OF)
    add_snapshot(world.account, as_of=AS_OF, run=run, clv_net=Decimal("1000"))
    response = client_for(world.kam).get(reverse("home"))
    assert response.context["dashboard"].figures["destroyers"]["count"] == 0
    assert "No value destroyer" in response.content.decode()
