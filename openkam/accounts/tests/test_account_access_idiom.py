"""The one access idiom: teams_visible_to, account_for and writable_account_for, tried by
every persona (404 for what they do not see, 403 for what they see but may not change)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.accounts.selectors import (
    account_for,
    accounts_visible_to,
    teams_visible_to,
    writable_account_for,
)
from openkam.common.errors import NotFound
from openkam.conftest import World
from openkam.team.models import Role, Team, User

pytestmark = pytest.mark.django_db

# persona -> what fetching the world's account (in `team`, owned by `kam`) for a write gives.
WRITE_OUTCOMES = {
    "executive": "ok",
    "director": "ok",
    "kam": "ok",
    "other_kam": "not_found",
    "analyst": "denied",
    "viewer": "denied",
}


def _outcome(user: User, pk: int) -> str:
    try:
        writable_account_for(user, pk)
    except NotFound:
        return "not_found"
    except PermissionDenied:
        return "denied"
    return "ok"


@pytest.mark.parametrize(("persona", "expected"), sorted(WRITE_OUTCOMES.items()))
def test_writable_account_for_answers_each_persona(
    world: World, persona: str, expected: str
) -> None:
    assert _outcome(getattr(world, persona), world.account.pk) == expected


@pytest.mark.parametrize(("persona", "expected"), sorted(WRITE_OUTCOMES.items()))
def test_account_for_reads_what_the_persona_sees(world: World, persona: str, expected: str) -> None:
    user = getattr(world, persona)
    if expected == "not_found":
        with pytest.raises(NotFound):
            account_for(user, world.account.pk)
    else:
        assert account_for(user, world.account.pk) == world.account


def test_an_absent_account_reads_as_not_found_even_for_an_executive(world: World) -> None:
    missing = Account.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    with pytest.raises(NotFound):
        writable_account_for(world.executive, missing)


def test_an_inactive_kam_sees_nothing_of_their_own_account(world: World) -> None:
    world.kam.is_active = False
    world.kam.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        account_for(world.kam, world.account.pk)
    with pytest.raises(NotFound):
        writable_account_for(world.kam, world.account.pk)
    assert not teams_visible_to(world.kam).exists()


def test_an_anonymous_user_sees_no_account_and_no_team(world: World) -> None:
    anonymous = AnonymousUser()
    with pytest.raises(NotFound):
        account_for(anonymous, world.account.pk)  # type: ignore[arg-type]
    assert not teams_visible_to(anonymous).exists()  # type: ignore[arg-type]


def test_a_kam_writes_an_account_they_own_in_another_team(world: World) -> None:
    world.other_account.owner = world.kam
    world.other_account.save(update_fields=["owner"])
    assert writable_account_for(world.kam, world.other_account.pk) == world.other_account


def test_shape_adds_joins_but_never_widens_what_is_visible(world: World) -> None:
    def everything(_visible: QuerySet[Account]) -> QuerySet[Account]:
        return _visible.select_related("team", "owner")

    account = account_for(world.kam, world.account.pk, shape=everything)
    assert account.team == world.team
    with pytest.raises(NotFound):
        account_for(world.kam, world.other_account.pk, shape=everything)


def _names(teams: QuerySet[Team]) -> set[str]:
    return set(teams.values_list("name", flat=True))


def test_teams_visible_to_each_persona(world: World) -> None:
    both = {world.team.name, world.other_team.name}
    assert _names(teams_visible_to(world.executive)) == both
    assert _names(teams_visible_to(world.analyst)) == both
    assert _names(teams_visible_to(world.director)) == {world.team.name}
    assert _names(teams_visible_to(world.kam)) == {world.team.name}
    assert _names(teams_visible_to(world.viewer)) == {world.team.name}
    assert _names(teams_visible_to(world.other_kam)) == {world.other_team.name}


def test_a_kam_made_director_of_a_team_sees_it_only_once_a_director(world: World) -> None:
    world.other_team.director = world.kam
    world.other_team.save(update_fields=["director"])
    assert world.other_team not in teams_visible_to(world.kam)
    world.kam.role = Role.DIRECTOR
    world.kam.save(update_fields=["role"])
    assert world.other_team in teams_visible_to(world.kam)
    assert world.other_account in accounts_visible_to(world.kam)
