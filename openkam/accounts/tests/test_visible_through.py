"""visible_through states accounts_visible_to on a row's account, and owners_of / teams_of
list a filter's choices by EXISTS: each gives exactly what the collecting form gives, for
every persona, an account-team seat, a director and an inactive user."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account, AccountTeamMember, AccountTeamRole
from openkam.accounts.selectors import accounts_visible_to, owners_of, teams_of, visible_through
from openkam.conftest import World
from openkam.factories import AccountFactory, ContactFactory, UserFactory
from openkam.relationships.models import Contact
from openkam.team.models import Role, Team, User

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
    assert set(owners_of(accounts_visible_to(world.kam))) == {world.kam}
