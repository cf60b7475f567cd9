"""overdue_contacts: a contact who wants to hear from us every N days and has not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.interactions.selectors import overdue_contacts, with_contact_last_met
from openkam.interactions.tests.builders import interaction
from openkam.relationships.models import Contact

TODAY = dt.date(2026, 6, 15)


def test_a_contact_met_longer_ago_than_wanted_is_overdue(world: World) -> None:
    late = ContactFactory.create(account=world.account, contact_every_days=14)
    fine = ContactFactory.create(account=world.account, contact_every_days=30)
    interaction(
        world.account, day=TODAY - dt.timedelta(days=20), ours=[world.kam], theirs=[late, fine]
    )
    found: list[Any] = list(overdue_contacts(Contact.objects.all(), today=TODAY))
    assert found == [late]
    assert found[0].last_met_on == TODAY - dt.timedelta(days=20)
    assert found[0].contact_due_on == TODAY - dt.timedelta(days=6)


def test_a_contact_without_a_wanted_frequency_is_never_overdue(world: World) -> None:
    ContactFactory.create(account=world.account, contact_every_days=None)
    assert not overdue_contacts(Contact.objects.all(), today=TODAY).exists()
    met: Any = with_contact_last_met(Contact.objects.all()).get()
    assert met.contact_due_on is None


def test_an_inactive_contact_is_not_flagged(world: World) -> None:
    ContactFactory.create(account=world.account, contact_every_days=7, is_active=False)
    assert not overdue_contacts(
        Contact.objects.all(), today=TODAY + dt.timedelta(days=400)
    ).exists()
