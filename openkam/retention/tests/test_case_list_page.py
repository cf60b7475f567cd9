"""The list of win-back cases: the cases of the accounts the user sees, filtered by team,
owner, tier, cause and state, sorted, in pages, with an empty state, at a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.retention.tests.builders import case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world: World) -> None:
    case(world.account, cause="price", revenue_at_stake=Decimal("300"),
         opened_on=dt.date(2026, 3, 1))  # fmt: skip
    key = AccountFactory.create(team=world.team, owner=world.kam, tier="key", legal_name="阿尔法")
    case(key, cause="competitor", revenue_at_stake=Decimal("900"), opened_on=dt.date(2026, 4, 1),
         outcome="lost", outcome_on=dt.date(2026, 5, 1))  # fmt: skip
    case(world.other_account, cause="price", revenue_at_stake=Decimal("100"))


def names(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("retention:list"), params)
    assert response.status_code == 200
    return [c.account.legal_name for c in response.context["page"].object_list]


def test_a_kam_lists_the_cases_of_their_teams_newest_first(world: World, cases: None) -> None:
    assert names(client_for(world.kam)) == ["阿尔法", world.account.legal_name]
    assert len(names(client_for(world.executive))) == 3


def test_the_filters_keep_what_they_name(world: World, cases: None) -> None:
    client = client_for(world.executive)
    assert names(client, state="lost") == ["阿尔法"]
    assert names(client, state="open", team=str(world.team.pk)) == [world.account.legal_name]
    assert names(client, tier="key") == ["阿尔法"]
    assert len(names(client, cause="price")) == 2
    assert names(client, owner=str(world.other_kam.pk)) == [world.other_account.legal_name]


def test_sorting_by_revenue_at_stake_goes_both_ways(world: World, cases: None) -> None:
    client = client_for(world.executive)
    assert names(client, sort="-revenue")[0] == "阿尔法"
    assert names(client, sort="revenue")[0] == world.other_account.legal_name


def test_the_list_comes_in_pages(world: World, settings: object) -> None:
    settings.OPENKAM_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for _ in range(3):
        case(AccountFactory.create(team=world.team))
    client = client_for(world.director)
    assert len(names(client)) == 2
    assert len(names(client, page="2")) == 1


def test_no_case_is_an_empty_state(world: World, english: None) -> None:
    response = client_for(world.kam).get(reverse("retention:list"))
    assert b"No win-back cases match" in response.content


def test_the_list_costs_a_fixed_number_of_queries(
    world: World, cases: None, django_assert_num_queries: object
) -> None:
    for _ in range(5):
        case(AccountFactory.create(team=world.team, owner=world.kam))
    client = client_for(world.kam)
    with django_assert_num_queries(6):  # type: ignore[operator]
        client.get(reverse("retention:list"))
