"""Contacts added, edited and deactivated from the account page: the one reports-to rule
(same account, no loop), readers refused, another team's contact absent, history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.common.errors import NotFound
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.relationships.models import Contact
from openkam.relationships.services import contact_create, contact_edit, contact_set_active


def test_a_kam_adds_a_contact_who_reports_to_another(world: World) -> None:
    boss = ContactFactory.create(account=world.account, name="李总")
    contact = contact_create(
        user=world.kam,
        account_id=world.account.pk,
        fields={"name": "王经理", "title": "采购经理", "reports_to": boss, "influence_level": 4},
    )
    assert (contact.account_id, contact.reports_to_id, contact.influence_level) == (
        world.account.pk, boss.pk, 4,
    )  # fmt: skip
    assert contact.history.get().history_user == world.kam


def test_a_boss_of_another_account_is_refused_on_reports_to(world: World) -> None:
    stranger = ContactFactory.create(account=world.unassigned_account)
    with pytest.raises(ValidationError) as refused:
        contact_create(user=world.executive, account_id=world.account.pk,
                       fields={"name": "王经理", "reports_to": stranger})  # fmt: skip
    assert list(refused.value.message_dict) == ["reports_to"]
    assert not Contact.objects.filter(name="王经理").exists()


def test_an_edit_that_would_close_a_loop_is_refused(world: World) -> None:
    top = ContactFactory.create(account=world.account, name="李总")
    below = ContactFactory.create(account=world.account, name="王经理", reports_to=top)
    with pytest.raises(ValidationError) as refused:
        contact_edit(user=world.kam, contact_id=top.pk, changes={"reports_to": below})
    assert list(refused.value.message_dict) == ["reports_to"]
    top.refresh_from_db()
    assert top.reports_to_id is None


def test_a_contact_who_left_is_deactivated_and_kept(world: World) -> None:
    contact = ContactFactory.create(account=world.account)
    contact_set_active(user=world.director, contact_id=contact.pk, active=False)
    contact.refresh_from_db()
    assert contact.is_active is False
    assert [h.is_active for h in contact.history.order_by("history_date")][-1] is False


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_change_no_contact(world: World, reader: str) -> None:
    contact = ContactFactory.create(account=world.account, name="王经理")
    with pytest.raises(PermissionDenied):
        contact_create(user=getattr(world, reader), account_id=world.account.pk,
                       fields={"name": "新人"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        contact_edit(user=getattr(world, reader), contact_id=contact.pk, changes={"name": "改名"})
    with pytest.raises(PermissionDenied):
        contact_set_active(user=getattr(world, reader), contact_id=contact.pk, active=False)
    assert list(Contact.objects.values_list("name", "is_active")) == [("王经理", True)]


def test_another_teams_contact_does_not_exist_for_a_kam(world: World) -> None:
    theirs = ContactFactory.create(account=world.other_account)
    with pytest.raises(NotFound):
        contact_set_active(user=world.kam, contact_id=theirs.pk, active=False)
    with pytest.raises(NotFound):
        contact_create(user=world.kam, account_id=world.other_account.pk, fields={"name": "x"})
    theirs.refresh_from_db()
    assert theirs.is_active
