"""Every role has a login with the demo password, in the teams the personas expect."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from openkam.accounts.models import Account
from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import PASSWORD
from openkam.team.models import Role, Team, TeamMembership, User

pytestmark = pytest.mark.django_db


def teams_of(username: str) -> set[str]:
    return set(
        TeamMembership.objects.filter(user__username=username).values_list("team__name", flat=True)
    )


def test_every_role_has_a_login_with_the_demo_password(demo: DemoReport) -> None:
    for username in ("executive", "director", "kam", "kam2", "analyst", "viewer", "admin"):
        assert authenticate(username=username, password=PASSWORD) is not None, username
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    assert all(user.display_name for user in User.objects.all())


def test_kam_and_kam2_work_in_different_teams_and_director_leads_kams_team(
    demo: DemoReport,
) -> None:
    kam_teams, kam2_teams = teams_of("kam"), teams_of("kam2")
    assert len(kam_teams) == 1
    assert kam_teams != kam2_teams
    team = Team.objects.get(name=kam_teams.pop())
    assert team.director is not None
    assert team.director.username == "director"
    assert teams_of("viewer") == {team.name}
    assert User.objects.get(username="viewer").role == Role.VIEWER


def test_accounts_are_owned_by_a_kam_of_their_team(demo: DemoReport) -> None:
    assert not Account.objects.filter(team__isnull=True).exists()
    members = set(TeamMembership.objects.values_list("team_id", "user_id"))
    owned = Account.objects.filter(owner__isnull=False)
    for team_id, owner_id, role in owned.values_list("team_id", "owner_id", "owner__role"):
        assert (team_id, owner_id) in members
        assert role == Role.KAM
    assert Account.objects.filter(owner__username="kam").exists()
    assert Account.objects.filter(owner__username="kam2").exists()
    unowned = Account.objects.filter(owner__isnull=True)
    assert unowned.exists()
    assert not unowned.exclude(tier="general").exists()
