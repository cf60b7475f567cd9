"""account_create: who may create where, the credit code's uniqueness without naming the
holder, and the likely duplicates shown before saving (visible accounts only)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account
from openkam.accounts.services import account_create, account_duplicates, name_core
from openkam.common.errors import FieldPermissionDenied
from openkam.conftest import World
from openkam.factories import AccountFactory, credit_code_for


def _data(world: World, **extra: object) -> dict[str, object]:
    return {"legal_name": "宁波新材料有限公司", "team_id": world.team.pk, **extra}


def test_a_kam_creates_into_their_team_and_the_history_names_them(world: World) -> None:
    account = account_create(user=world.kam, data=_data(world, owner_id=world.kam.pk))
    assert (account.team_id, account.owner_id, account.tier) == (
        world.team.pk,
        world.kam.pk,
        "general",
    )
    assert account.history.get().history_user == world.kam


def test_a_kam_may_not_create_into_another_team(world: World) -> None:
    before = Account.objects.count()
    with pytest.raises(FieldPermissionDenied) as refused:
        account_create(
            user=world.kam, data=_data(world, team_id=world.other_team.pk, owner_id=None)
        )
    assert refused.value.field == "team_id"
    assert Account.objects.count() == before


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_create_nothing(world: World, reader: str) -> None:
    before = Account.objects.count()
    with pytest.raises(PermissionDenied):
        account_create(user=getattr(world, reader), data=_data(world))
    assert Account.objects.count() == before


def test_a_taken_credit_code_is_the_fields_error_and_names_no_account(world: World) -> None:
    world.other_account.credit_code = credit_code_for(77)
    world.other_account.save()
    with pytest.raises(ValidationError) as refused:
        account_create(user=world.kam, data=_data(world, credit_code=credit_code_for(77)))
    assert list(refused.value.message_dict) == ["credit_code"]
    assert world.other_account.legal_name not in str(refused.value)


def test_an_invalid_credit_code_is_refused_on_its_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        account_create(user=world.kam, data=_data(world, credit_code="123"))
    assert "credit_code" in refused.value.message_dict


def test_the_core_of_a_name_drops_spaces_and_legal_forms() -> None:
    assert name_core("宁波 新材料股份有限公司") == "宁波新材料"
    assert name_core("Acme Trading Co., Ltd.") == "AcmeTrading"
    assert name_core("集团") == "集团"


def test_likely_duplicates_are_found_by_name_short_name_and_credit_code(world: World) -> None:
    by_name = AccountFactory.create(team=world.team, legal_name="宁波新材料股份有限公司")
    by_short = AccountFactory.create(team=world.team, legal_name="甬材集团", short_name="宁波新材")
    by_code = AccountFactory.create(team=world.team, credit_code=credit_code_for(5))
    AccountFactory.create(team=world.team, legal_name="杭州无关公司", short_name="无关")
    found = account_duplicates(
        user=world.kam, legal_name="宁波新材料有限公司", credit_code=credit_code_for(5)
    )
    assert set(found) == {by_name, by_short, by_code}


def test_another_teams_account_is_never_proposed_as_a_duplicate(world: World) -> None:
    AccountFactory.create(team=world.other_team, legal_name="宁波新材料股份有限公司")
    assert account_duplicates(user=world.kam, legal_name="宁波新材料有限公司") == []
