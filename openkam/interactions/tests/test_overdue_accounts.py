"""overdue_accounts: the return visit each tier is owed, computed in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.interactions.models import ContactCadence, Status
from openkam.interactions.selectors import overdue_accounts, with_contact_due
from openkam.interactions.tests.builders import interaction

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def strategic(world: World) -> Account:
    world.account.tier = Tier.STRATEGIC
    world.account.save()
    return world.account


def test_a_strategic_account_last_seen_31_days_ago_is_overdue_by_default(
    strategic: Account,
) -> None:
    interaction(strategic, day=TODAY - dt.timedelta(days=31))
    found: Any = overdue_accounts(Account.objects.filter(pk=strategic.pk), today=TODAY).get()
    assert found.last_contact_on == TODAY - dt.timedelta(days=31)
    assert found.contact_due_on == TODAY - dt.timedelta(days=1)


def test_a_strategic_account_seen_29_days_ago_is_not_overdue(strategic: Account) -> None:
    interaction(strategic, day=TODAY - dt.timedelta(days=29))
    assert not overdue_accounts(Account.objects.filter(pk=strategic.pk), today=TODAY).exists()


def test_the_configured_cadence_replaces_the_default(strategic: Account) -> None:
    ContactCadence.objects.update_or_create(tier=Tier.STRATEGIC, defaults={"every_days": 60})
    interaction(strategic, day=TODAY - dt.timedelta(days=45))
    annotated: Any = with_contact_due(Account.objects.filter(pk=strategic.pk)).get()
    assert annotated.contact_due_on == TODAY + dt.timedelta(days=15)
    assert not overdue_accounts(Account.objects.filter(pk=strategic.pk), today=TODAY).exists()


def test_planned_and_cancelled_interactions_are_not_contact(strategic: Account) -> None:
    interaction(strategic, day=TODAY - dt.timedelta(days=40))
    interaction(strategic, day=TODAY - dt.timedelta(days=5), status=Status.CANCELLED)
    interaction(strategic, day=TODAY + dt.timedelta(days=2), status=Status.PLANNED)
    found: Any = overdue_accounts(Account.objects.filter(pk=strategic.pk), today=TODAY).get()
    assert found.last_contact_on == TODAY - dt.timedelta(days=40)


def test_an_account_never_contacted_is_due_since_it_was_recorded(world: World) -> None:
    found: Any = with_contact_due(Account.objects.filter(pk=world.account.pk)).get()
    assert found.last_contact_on is None
    assert found.contact_due_on == timezone.localdate(world.account.created_at)
    later = found.contact_due_on + dt.timedelta(days=1)
    assert overdue_accounts(Account.objects.filter(pk=world.account.pk), today=later).exists()


def test_each_tier_has_its_own_cadence_most_overdue_first(db: None) -> None:
    seen = TODAY - dt.timedelta(days=100)
    general = AccountFactory.create(tier=Tier.GENERAL)
    major = AccountFactory.create(tier=Tier.MAJOR)
    key = AccountFactory.create(tier=Tier.KEY)
    for account in (general, major, key):
        interaction(account, day=seen)
    found: list[Any] = list(overdue_accounts(Account.objects.all(), today=TODAY))
    assert found == [key, major]  # key due after 42 days, major after 90; general 180
    assert found[0].contact_due_on == seen + dt.timedelta(days=42)


def test_overdue_accounts_runs_one_query(django_assert_num_queries, strategic: Account) -> None:
    interaction(strategic, day=TODAY - dt.timedelta(days=40))
    cadence = {"strategic": 30, "key": 42, "major": 90, "general": 180}
    with django_assert_num_queries(1):
        assert len(list(overdue_accounts(Account.objects.all(), today=TODAY, cadence=cadence))) >= 1
