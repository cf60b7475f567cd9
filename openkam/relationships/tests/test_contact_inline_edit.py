"""Editing a contact's buying role inline, one field at a time, with htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.relationships.models import Contact


@pytest.fixture
def buyer(world: World) -> Contact:
    return ContactFactory.create(account=world.account, name="王经理", support=0)


def edit(contact: Contact, field: str) -> str:
    return reverse("relationships:contact_field", kwargs={"pk": contact.pk, "field": field})


def test_the_kam_opens_the_editor_of_one_field(world: World, buyer: Contact) -> None:
    response = client_for(world.kam).get(edit(buyer, "support"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'data-testid="editor-support"' in content
    assert '<select name="support"' in content


def test_the_kam_makes_a_contact_a_champion(world: World, buyer: Contact) -> None:
    response = client_for(world.kam).post(edit(buyer, "support"), {"support": "2"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "contactChanged"
    assert f'data-testid="support-{buyer.pk}"' in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.support == 2
    assert buyer.history.first().history_user == world.kam


def test_a_buying_stage_switches_with_one_click(world: World, buyer: Contact) -> None:
    client_for(world.kam).post(edit(buyer, "stage_choice"), {"stage_choice": "true"})
    buyer.refresh_from_db()
    assert buyer.stage_choice is True


def test_an_influence_of_seven_is_refused_and_nothing_saved(world: World, buyer: Contact) -> None:
    response = client_for(world.kam).post(edit(buyer, "influence_level"), {"influence_level": "7"})
    assert 'data-testid="editor-error"' in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.influence_level == 3


def test_a_reporting_loop_is_refused(world: World, buyer: Contact, english: None) -> None:
    boss = ContactFactory.create(account=world.account, name="刘总", reports_to=buyer)
    response = client_for(world.kam).post(edit(buyer, "reports_to"), {"reports_to": str(boss.pk)})
    assert "already reports to this contact" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.reports_to is None


def test_a_manager_from_another_account_is_not_offered(world: World, buyer: Contact) -> None:
    stranger = ContactFactory.create(account=world.other_account)
    response = client_for(world.kam).post(
        edit(buyer, "reports_to"), {"reports_to": str(stranger.pk)}
    )
    assert 'data-testid="editor-error"' in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.reports_to is None


@pytest.mark.parametrize(
    ("persona", "status"), [("other_kam", 404), ("viewer", 403), ("analyst", 403)]
)
def test_who_may_not_write_is_refused_and_nothing_is_saved(
    world: World, buyer: Contact, persona: str, status: int
) -> None:
    """Another team's KAM does not see the contact (404); a role that reads only does (403)."""
    client = client_for(getattr(world, persona))
    assert client.get(edit(buyer, "support")).status_code == status
    assert client.post(edit(buyer, "support"), {"support": "-2"}).status_code == status
    buyer.refresh_from_db()
    assert buyer.support == 0


def test_a_field_outside_the_buying_role_cannot_be_edited(world: World, buyer: Contact) -> None:
    response = client_for(world.kam).post(
        edit(buyer, "account"), {"account": str(world.other_account.pk)}
    )
    assert response.status_code == 404
    buyer.refresh_from_db()
    assert buyer.account == world.account


def test_cancel_returns_the_cell_as_it_was(world: World, buyer: Contact) -> None:
    url = reverse("relationships:contact_cell", kwargs={"pk": buyer.pk, "field": "support"})
    content = client_for(world.kam).get(url).content.decode()
    assert f'id="c{buyer.pk}-support"' in content
