"""accounts_visible_to decides row-level visibility for every role (issue: foundation)."""

import pytest

from openkam.accounts.selectors import accounts_visible_to
from openkam.conftest import World
from openkam.factories import AccountFactory, MembershipFactory, UserFactory
from openkam.team.models import Role

pytestmark = pytest.mark.django_db


def visible(world: World, user_attr: str) -> set[int]:
    return set(accounts_visible_to(getattr(world, user_attr)).values_list("id", flat=True))


def test_executive_sees_every_account(world: World) -> None:
    assert visible(world, "executive") == {
        world.account.pk,
        world.other_account.pk,
        world.unassigned_account.pk,
    }


def test_analyst_sees_every_account(world: World) -> None:
    assert visible(world, "analyst") == visible(world, "executive")


def test_director_sees_only_the_accounts_of_the_team_they_direct(world: World) -> None:
    assert visible(world, "director") == {world.account.pk}


def test_kam_sees_the_accounts_of_their_team(world: World) -> None:
    teammate_account = AccountFactory.create(team=world.team, owner=None)
    assert visible(world, "kam") == {world.account.pk, teammate_account.pk}


def test_kam_cannot_see_other_teams_accounts(world: World) -> None:
    assert world.other_account.pk not in visible(world, "kam")
    assert visible(world, "other_kam") == {world.other_account.pk}


def test_viewer_sees_the_accounts_of_the_team_they_belong_to(world: World) -> None:
    assert visible(world, "viewer") == {world.account.pk}


def test_viewer_without_a_team_sees_nothing(world: World) -> None:
    loner = UserFactory.create(username="loner", role=Role.VIEWER)
    assert not accounts_visible_to(loner).exists()


def test_kam_in_two_teams_sees_both_without_duplicates(world: World) -> None:
    MembershipFactory.create(team=world.other_team, user=world.kam)
    rows = list(accounts_visible_to(world.kam).values_list("id", flat=True))
    assert sorted(rows) == sorted({world.account.pk, world.other_account.pk})


def test_owner_sees_an_account_they_own_outside_their_teams(world: World) -> None:
    stray = AccountFactory.create(team=world.other_team, owner=world.kam)
    assert stray.pk in visible(world, "kam")


def test_inactive_user_sees_nothing(world: World) -> None:
    world.executive.is_active = False
    world.executive.save()
    assert not accounts_visible_to(world.executive).exists()


def test_superuser_sees_everything_whatever_the_role(world: World) -> None:
    boss = UserFactory.create(username="root", role=Role.VIEWER, is_superuser=True)
    assert accounts_visible_to(boss).count() == 3
