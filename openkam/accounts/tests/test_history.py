"""Changes to accounts, contacts and tiers are kept: who, when, what changed."""

import pytest

from openkam.accounts.models import Tier
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.relationships.models import Support

pytestmark = pytest.mark.django_db


def test_a_tier_change_is_recorded_with_old_and_new_value_and_author(world: World) -> None:
    account = world.account
    account._history_user = world.director  # type: ignore[attr-defined]
    account.tier = Tier.KEY
    account.save()

    latest, previous = account.history.all()[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("tier", "general", "key")]
    assert latest.history_user == world.director
    assert latest.history_type == "~"


def test_creating_and_deleting_an_account_leaves_history(world: World) -> None:
    account_id = world.unassigned_account.pk
    world.unassigned_account.delete()
    kinds = list(
        world.unassigned_account.history.model.objects.filter(id=account_id)
        .order_by("history_id")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]


def test_a_contact_change_is_recorded(world: World) -> None:
    contact = ContactFactory.create(account=world.account, support=Support.NEUTRAL)
    contact.support = Support.CHAMPION
    contact.save()
    delta = contact.history.first().diff_against(contact.history.last())
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("support", 0, 2)]
