"""The user and team pages of the back office."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, MembershipFactory, TeamFactory, UserFactory
from openkam.team.models import Function, Role, User

USERS = reverse("admin:team_user_changelist")
TEAMS = reverse("admin:team_team_changelist")


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    return client_for(superuser)


def kams_in_two_teams(count: int) -> None:
    for _ in range(count):
        kam = UserFactory.create()
        MembershipFactory.create(user=kam)
        MembershipFactory.create(user=kam)


def test_the_user_list_shows_role_function_display_name_and_teams(
    superuser_client: Client,
) -> None:
    kam = UserFactory.create(
        username="wangfang", display_name="王芳", role=Role.KAM, function=Function.SALES
    )
    MembershipFactory.create(user=kam, team=TeamFactory.create(name="华东大客户部"))
    MembershipFactory.create(user=kam, team=TeamFactory.create(name="华南大客户部"))

    response = superuser_client.get(USERS, {"q": "wangfang"})

    (row,) = response.context["cl"].result_list
    assert row == kam
    page = response.content.decode()
    assert "王芳" in page
    assert "华东大客户部, 华南大客户部" in page
    assert str(Role.KAM.label) in page


def test_the_user_list_makes_no_more_queries_for_20_rows_than_for_3(
    superuser_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    kams_in_two_teams(2)
    superuser_client.get(USERS)
    with CaptureQueriesContext(connection) as three_rows:
        response = superuser_client.get(USERS)
    assert len(response.context["cl"].result_list) == 3

    kams_in_two_teams(17)
    with django_assert_max_num_queries(len(three_rows)):
        response = superuser_client.get(USERS)

    assert len(response.context["cl"].result_list) == 20


def test_the_team_list_counts_members_and_accounts(world: World, superuser_client: Client) -> None:
    AccountFactory.create_batch(2, team=world.team)

    response = superuser_client.get(TEAMS)

    counts = {
        team.name: (team.member_total, team.account_total)
        for team in response.context["cl"].result_list
    }
    # kam1 and viewer1 belong to the team; the world gives it one account.
    assert counts[world.team.name] == (2, 3)
    assert counts[world.other_team.name] == (1, 1)


def test_a_kam_without_staff_status_cannot_open_the_user_list(world: World) -> None:
    response = client_for(world.kam).get(USERS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
