"""The account team's writes: who may change it (the account's KAM, its director,
executives), whom it may take, and the history of who added, changed and removed whom."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import AccountTeamMember, AccountTeamRole
from openkam.accounts.selectors import account_team, account_team_history
from openkam.accounts.services import (
    account_team_member_add,
    account_team_member_change,
    account_team_member_remove,
)
from openkam.common.errors import NotFound
from openkam.conftest import World
from openkam.factories import MembershipFactory, UserFactory
from openkam.team.models import Function, Role, User

pytestmark = pytest.mark.django_db


def engineer() -> User:
    return UserFactory.create(username="qe", role=Role.VIEWER, function=Function.QUALITY)


@pytest.mark.parametrize("who", ["kam", "director", "executive"])
def test_the_kam_the_director_and_an_executive_add_a_member(world: World, who: str) -> None:
    person = engineer()
    member = account_team_member_add(
        user=getattr(world, who), account_id=world.account.pk, member_id=person.pk,
        role=AccountTeamRole.QUALITY, note=" 来料检验 ",
    )  # fmt: skip
    assert member.account == world.account
    assert member.user == person
    assert member.note == "来料检验"
    assert [m.user for m in account_team(world.account)] == [person]
    (added,) = account_team_history(world.account)
    assert added.history_type == "+"
    assert added.history_user == getattr(world, who)


@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_readers_who_see_the_account_are_refused(world: World, who: str) -> None:
    person = engineer()
    with pytest.raises(PermissionDenied):
        account_team_member_add(
            user=getattr(world, who), account_id=world.account.pk, member_id=person.pk,
            role=AccountTeamRole.QUALITY,
        )  # fmt: skip
    assert not AccountTeamMember.objects.exists()


def test_another_kam_of_the_same_team_reads_but_does_not_change_the_team(world: World) -> None:
    teammate = UserFactory.create(username="kam3", role=Role.KAM)
    MembershipFactory.create(team=world.team, user=teammate)
    with pytest.raises(PermissionDenied):
        account_team_member_add(
            user=teammate, account_id=world.account.pk, member_id=engineer().pk, role="rnd"
        )
    assert not AccountTeamMember.objects.exists()


def test_another_teams_kam_gets_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        account_team_member_add(
            user=world.other_kam, account_id=world.account.pk, member_id=engineer().pk,
            role="rnd",
        )  # fmt: skip
    assert not AccountTeamMember.objects.exists()


def test_a_support_member_cannot_change_the_team_they_sit_on(world: World) -> None:
    person = engineer()
    seat = AccountTeamMember.objects.create(account=world.account, user=person, role="quality")
    with pytest.raises(PermissionDenied):
        account_team_member_add(
            user=person, account_id=world.account.pk, member_id=world.viewer.pk, role="finance"
        )
    with pytest.raises(PermissionDenied):
        account_team_member_remove(user=person, member_id=seat.pk)
    assert AccountTeamMember.objects.count() == 1


@pytest.mark.parametrize(
    ("member", "role", "field"),
    [
        ("kam", "rnd", "user_id"),  # the KAM is the owner already
        ("other_kam", "rnd", "user_id"),  # their role writes; a seat reads only
        ("viewer", "sponsor", "role"),  # a sponsor is an executive or a director
        ("viewer", "chef", "role"),
    ],
)
def test_bad_members_are_refused_naming_the_field(
    world: World, member: str, role: str, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        account_team_member_add(
            user=world.kam, account_id=world.account.pk, member_id=getattr(world, member).pk,
            role=role,
        )  # fmt: skip
    assert field in error.value.message_dict
    assert not AccountTeamMember.objects.exists()


def test_an_inactive_or_unknown_person_and_a_second_seat_are_refused(world: World) -> None:
    gone = UserFactory.create(username="gone", is_active=False)
    for member_id in (gone.pk, 999_999):
        with pytest.raises(ValidationError) as error:
            account_team_member_add(
                user=world.kam, account_id=world.account.pk, member_id=member_id, role="rnd"
            )
        assert "user_id" in error.value.message_dict
    account_team_member_add(
        user=world.kam, account_id=world.account.pk, member_id=world.viewer.pk, role="finance"
    )
    with pytest.raises(ValidationError) as error:
        account_team_member_add(
            user=world.kam, account_id=world.account.pk, member_id=world.viewer.pk, role="rnd"
        )
    assert "user_id" in error.value.message_dict
    assert AccountTeamMember.objects.count() == 1


def test_an_executive_sponsor_and_the_history_of_changes(world: World) -> None:
    sponsor = account_team_member_add(
        user=world.director, account_id=world.account.pk, member_id=world.executive.pk,
        role=AccountTeamRole.SPONSOR,
    )  # fmt: skip
    person = engineer()
    member = account_team_member_add(
        user=world.kam, account_id=world.account.pk, member_id=person.pk, role="quality"
    )
    account_team_member_change(user=world.kam, member_id=member.pk, role="service", note="售后")
    member.refresh_from_db()
    assert (member.role, member.note) == ("service", "售后")
    account_team_member_remove(user=world.director, member_id=member.pk)
    assert [m.pk for m in account_team(world.account)] == [sponsor.pk]
    history = account_team_history(world.account)
    assert [(h.history_type, h.user_id, h.role, h.history_user) for h in history] == [
        ("-", person.pk, "service", world.director),
        ("~", person.pk, "service", world.kam),
        ("+", person.pk, "quality", world.kam),
        ("+", world.executive.pk, "sponsor", world.director),
    ]


def test_an_executive_may_own_an_account_and_then_runs_its_team(world: World) -> None:
    world.account.owner = world.executive
    world.account.save()
    with pytest.raises(ValidationError):  # the owner is its KAM already
        account_team_member_add(
            user=world.director, account_id=world.account.pk, member_id=world.executive.pk,
            role="sponsor",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # no longer the account's KAM
        account_team_member_add(
            user=world.kam, account_id=world.account.pk, member_id=world.viewer.pk, role="rnd"
        )
    member = account_team_member_add(
        user=world.executive, account_id=world.account.pk, member_id=world.kam.pk, role="other"
    )
    assert member.user == world.kam
