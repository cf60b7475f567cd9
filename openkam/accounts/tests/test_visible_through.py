"""visible_through states accounts_visible_to on a row's account, and owners_of / teams_of
list a filter's choices by EXISTS: each gives exactly what the collecting form gives, for
every persona, an account-team seat, a director and an inactive user."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account, AccountTeamMember, AccountTeamRole
from openkam.accounts.selectors import (
    accounts_visible_to,
    owners_of,
    owners_visible_to,
    teams_holding_visible,
    teams_of,
    visible_in_parts,
    visible_through,
)
from openkam.conftest import World
from openkam.factories import AccountFactory, ContactFactory, UserFactory
from openkam.relationships.models import Contact
from openkam.team.models import Role, Team, TeamMembership, User

pytestmark = pytest.mark.django_db


def people(world: World) -> list[User]:
    engineer = UserFactory.create(username="qe", role=Role.VIEWER)
    AccountTeamMember.objects.create(
        account=world.other_account, user=engineer, role=AccountTeamRole.QUALITY
    )
    gone = UserFactory.create(username="gone", role=Role.EXECUTIVE, is_active=False)
    return [
        world.executive,
        world.director,
        world.kam,
        world.other_kam,
        world.analyst,
        world.viewer,
        engineer,
        gone,
    ]


def test_the_rule_on_a_rows_account_is_the_rule_on_accounts(world: World) -> None:
    # one contact per account, and an account the KAM owns in another team's book
    AccountFactory.create(team=world.other_team, owner=world.kam)
    for account in Account.objects.all():
        ContactFactory.create(account=account)
    for user in people(world):
        through = set(Contact.objects.filter(visible_through(user)).values_list("pk", flat=True))
        collected = set(
            Contact.objects.filter(account__in=accounts_visible_to(user)).values_list(
                "pk", flat=True
            )
        )
        assert through == collected, user.username
    assert Contact.objects.filter(visible_through(people_gone(world))).count() == 0


def people_gone(world: World) -> User:
    return User.objects.get(username="gone")


def test_owners_and_teams_of_the_accounts_a_user_sees(world: World) -> None:
    AccountFactory.create(team=world.other_team, owner=world.kam)
    for user in people(world):
        visible = accounts_visible_to(user)
        owners = set(User.objects.filter(pk__in=visible.values("owner_id")))
        teams = set(Team.objects.filter(pk__in=visible.values("team_id")))
        assert set(owners_of(visible)) == owners, user.username
        assert set(teams_of(visible)) == teams, user.username
        # the same sets, each way in read through its own index
        assert set(owners_visible_to(user)) == owners, user.username
        assert set(teams_holding_visible(user)) == teams, user.username
    assert set(owners_of(accounts_visible_to(world.kam))) == {world.kam}


def test_a_seat_and_an_owned_account_elsewhere_open_their_owner_and_team(world: World) -> None:
    """The three ways in, one at a time: a seat on another team's account shows that
    account's KAM and team; owning an account in another team's book shows that team; a
    team with no account is not a choice."""
    engineer = UserFactory.create(username="qe2", role=Role.VIEWER)
    assert set(owners_visible_to(engineer)) == set()
    AccountTeamMember.objects.create(
        account=world.other_account, user=engineer, role=AccountTeamRole.QUALITY
    )
    assert set(owners_visible_to(engineer)) == {world.other_account.owner}
    assert set(teams_holding_visible(engineer)) == {world.other_account.team}
    elsewhere = Team.objects.create(name="Far away")
    AccountFactory.create(team=elsewhere, owner=world.kam)
    assert elsewhere in set(teams_holding_visible(world.kam))
    empty = Team.objects.create(name="Empty")
    TeamMembership.objects.create(team=empty, user=world.kam)
    assert empty not in set(teams_holding_visible(world.kam))


def test_the_parts_of_what_a_user_sees_are_disjoint_and_make_the_whole(world: World) -> None:
    AccountFactory.create(team=world.other_team, owner=world.kam)  # owned elsewhere
    AccountFactory.create(team=None, owner=world.kam)  # owned, in no team
    for user in people(world):
        parts = [set(part.values_list("pk", flat=True)) for part in visible_in_parts(user)]
        whole = set(accounts_visible_to(user).values_list("pk", flat=True))
        assert set().union(*parts) == whole, user.username
        assert sum(len(part) for part in parts) == len(whole), user.username  # no overlap
