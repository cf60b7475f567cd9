"""A lost account (lifecycle stage LOST) is owed no return visit: neither it nor its contacts
are flagged overdue, on any list. An account without a KAM is flagged all the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.accounts.selectors import accounts_visible_to
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.selectors import (
    account_contact_due,
    my_week,
    overdue_accounts,
    overdue_contacts,
    with_contact_last_met,
)
from openkam.interactions.tests.builders import interaction
from openkam.relationships.models import Contact

LONG_AGO = dt.timedelta(days=400)


@pytest.fixture
def lost(world: World) -> Account:
    """The KAM's strategic account, last visited long ago, with a contact who wanted a call
    every week; then the customer left."""
    account = world.account
    account.tier = Tier.STRATEGIC
    account.lifecycle_stage = LifecycleStage.LOST
    account.save()
    buyer = ContactFactory.create(account=account, name="王经理", contact_every_days=7)
    interaction(account, day=timezone.localdate() - LONG_AGO, ours=[world.kam], theirs=[buyer])
    return account


def test_a_lost_account_is_not_overdue(lost: Account) -> None:
    today = timezone.localdate()
    assert not overdue_accounts(Account.objects.all().filter(pk=lost.pk), today=today).exists()
    assert account_contact_due(lost)["contact_due_on"] is None


def test_the_contacts_of_a_lost_account_are_not_overdue(lost: Account) -> None:
    assert not overdue_contacts(Contact.objects.all(), today=timezone.localdate()).exists()
    met = with_contact_last_met(Contact.objects.filter(account=lost)).get()
    assert met.contact_due_on is None  # type: ignore[attr-defined]
    assert met.last_met_on == timezone.localdate() - LONG_AGO  # type: ignore[attr-defined]


def test_the_same_account_is_overdue_again_once_won_back(lost: Account) -> None:
    lost.lifecycle_stage = LifecycleStage.WIN_BACK
    lost.save()
    today = timezone.localdate()
    assert list(overdue_accounts(Account.objects.filter(pk=lost.pk), today=today)) == [lost]
    assert [c.name for c in overdue_contacts(Contact.objects.all(), today=today)] == ["王经理"]


def test_my_week_leaves_the_lost_account_out(world: World, lost: Account) -> None:
    week = my_week(world.kam, visible=accounts_visible_to(world.kam), today=timezone.localdate())
    assert not week.overdue_accounts.exists()
    assert not week.overdue_contacts.exists()
    content = client_for(world.kam).get(reverse("interactions:my_week")).content.decode()
    assert 'data-testid="count-overdue-accounts">0<' in content
    assert 'data-testid="count-overdue-contacts">0<' in content


def test_the_timeline_says_no_return_visit_is_due(
    world: World, lost: Account, english: None
) -> None:
    url = reverse("interactions:timeline", args=[lost.pk])
    content = client_for(world.kam).get(url).content.decode()
    assert "Lost account: no return visit due" in content
    assert "Return visit overdue since" not in content


def test_an_account_without_a_kam_is_still_flagged_for_the_executive(
    world: World, english: None
) -> None:
    unassigned = world.unassigned_account
    interaction(unassigned, day=timezone.localdate() - LONG_AGO)
    week = my_week(
        world.executive, visible=accounts_visible_to(world.executive), today=timezone.localdate()
    )
    assert unassigned in list(week.overdue_accounts)
    # The executive's page counts it in the "no team" row of the teams' compliance; a KAM's
    # or a director's list would badge it "No KAM".
    content = client_for(world.executive).get(reverse("interactions:my_week")).content.decode()
    row = next(r for r in content.split('data-testid="compliance-row"')[1:] if "No team" in r)
    assert 'data-testid="compliance-overdue">1<' in row


def test_the_cadence_page_states_the_rule(world: World, english: None) -> None:
    content = client_for(world.kam).get(reverse("interactions:cadence")).content.decode()
    assert "Lost accounts and their contacts are never flagged" in content
