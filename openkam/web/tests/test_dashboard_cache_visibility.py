"""Kept dashboard figures follow what the user may see now: a KAM moved out of a team, or an
account moved to another team, changes the figures at once, not at the next refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.portfolio.models import PortfolioRun
from openkam.team.models import TeamMembership, User
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db]
AS_OF = dt.date(2026, 6, 30)


def headline(user: User) -> dict[str, Any]:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.context["dashboard"].figures["headline"]


@pytest.fixture
def run(world: World) -> PortfolioRun:
    run = add_run(AS_OF)
    for account, revenue in ((world.account, "600000"), (world.other_account, "900000")):
        add_snapshot(account, as_of=AS_OF, run=run, revenue_12m=Decimal(revenue))
    return run


def test_a_kam_moved_out_of_the_team_stops_seeing_its_figures_at_once(
    world: World, run: PortfolioRun
) -> None:
    world.account.owner = None
    world.account.save()
    assert headline(world.kam)["revenue"] == pytest.approx(600000)
    TeamMembership.objects.filter(user=world.kam, team=world.team).delete()
    assert headline(world.kam)["accounts"] == 0


def test_a_kam_moved_into_a_team_sees_its_figures_at_once(world: World, run: PortfolioRun) -> None:
    assert headline(world.kam)["revenue"] == pytest.approx(600000)
    TeamMembership.objects.create(user=world.kam, team=world.other_team)
    assert headline(world.kam)["revenue"] == pytest.approx(1500000)


def test_an_account_moved_to_another_team_leaves_the_directors_figures(
    world: World, run: PortfolioRun
) -> None:
    assert headline(world.director)["accounts"] == 1
    world.account.team = world.other_team
    world.account.save()
    assert headline(world.director)["accounts"] == 0
