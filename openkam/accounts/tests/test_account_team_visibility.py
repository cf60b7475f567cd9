"""A seat on an account's standing team shows the account (read only) without a place in the
sales team; it never lets its holder change the account; taking the seat away takes the
account away (issue 14)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.accounts.models import AccountTeamMember, AccountTeamRole
from openkam.accounts.selectors import (
    account_for,
    accounts_editable_by,
    accounts_visible_to,
    accounts_worked_by,
    can_edit_account,
    writable_account_for,
)
from openkam.common.errors import NotFound
from openkam.conftest import World
from openkam.factories import AccountFactory, UserFactory
from openkam.team.models import Function, Role, User

pytestmark = pytest.mark.django_db


def quality_engineer() -> User:
    return UserFactory.create(username="qe", role=Role.VIEWER, function=Function.QUALITY)


def seat(world: World, user: User, role: str = AccountTeamRole.QUALITY) -> AccountTeamMember:
    return AccountTeamMember.objects.create(account=world.account, user=user, role=role)


def ids(rows: object) -> set[int]:
    return set(rows.values_list("pk", flat=True))  # type: ignore[attr-defined]


def test_a_support_member_sees_the_account_of_their_seat_and_no_other(world: World) -> None:
    engineer = quality_engineer()
    assert ids(accounts_visible_to(engineer)) == set()
    seat(world, engineer)
    assert ids(accounts_visible_to(engineer)) == {world.account.pk}
    assert account_for(engineer, world.account.pk) == world.account
    with pytest.raises(NotFound):
        account_for(engineer, world.other_account.pk)


def test_a_seat_gives_no_write_even_to_a_role_that_writes(world: World) -> None:
    """A KAM of another team seated by hand (the service refuses it) still cannot write: the
    write scope is the sales organisation, not the seat."""
    seat(world, world.other_kam, AccountTeamRole.OTHER)
    assert world.account.pk in ids(accounts_visible_to(world.other_kam))
    assert world.account.pk not in ids(accounts_worked_by(world.other_kam))
    assert world.account.pk not in ids(accounts_editable_by(world.other_kam))
    assert not can_edit_account(world.other_kam, world.account.pk)
    with pytest.raises(PermissionDenied):
        writable_account_for(world.other_kam, world.account.pk)
    assert writable_account_for(world.other_kam, world.other_account.pk) == world.other_account


def test_a_reader_on_the_team_is_refused_a_write_and_a_stranger_gets_not_found(
    world: World,
) -> None:
    engineer = quality_engineer()
    seat(world, engineer)
    with pytest.raises(PermissionDenied):
        writable_account_for(engineer, world.account.pk)
    with pytest.raises(NotFound):
        writable_account_for(engineer, world.other_account.pk)


def test_the_accounts_own_writers_still_write(world: World) -> None:
    for user in (world.kam, world.director, world.executive):
        assert writable_account_for(user, world.account.pk) == world.account
    with pytest.raises(NotFound):
        writable_account_for(world.kam, world.other_account.pk)


def test_removing_the_seat_removes_the_account(world: World) -> None:
    engineer = quality_engineer()
    member = seat(world, engineer)
    member.delete()
    assert ids(accounts_visible_to(engineer)) == set()
    with pytest.raises(NotFound):
        account_for(engineer, world.account.pk)


def test_the_seat_adds_no_query_to_the_visible_accounts(world: World) -> None:
    engineer = quality_engineer()
    seat(world, engineer)
    for _n in range(5):
        seat_on = AccountFactory.create(team=world.other_team)
        AccountTeamMember.objects.create(account=seat_on, user=engineer, role="rnd")
        AccountTeamMember.objects.create(account=seat_on, user=world.kam, role="rnd")
    with CaptureQueriesContext(connection) as captured:
        seen = ids(accounts_visible_to(engineer))
    assert len(seen) == 6
    assert len(captured.captured_queries) == 1


def test_executives_and_analysts_are_unchanged(world: World) -> None:
    everyone = {world.account.pk, world.other_account.pk, world.unassigned_account.pk}
    assert ids(accounts_visible_to(world.executive)) == everyone
    assert ids(accounts_visible_to(world.analyst)) == everyone
    assert ids(accounts_editable_by(world.analyst)) == set()
