"""Contacts added, edited and deactivated from the account page's contacts tab: personas
(another team's 404, readers 403, nothing saved), the reports-to rule on its field, the tab
answered after a write."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.relationships.models import Contact

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
CONTACT = {"name": "王经理", "title": "采购经理", "influence_level": "4", "participation": "3",
           "support": "1", "is_active": "on"}  # fmt: skip


def add_url(account_id: int) -> str:
    return reverse("relationships:contact_add", args=[account_id])


@pytest.mark.parametrize("writer", ["kam", "director", "executive"])
def test_writers_add_two_contacts_one_reporting_to_the_other(world: World, writer: str) -> None:
    client = client_for(getattr(world, writer))
    client.post(add_url(world.account.pk), {**CONTACT, "name": "李总"}, **HTMX)
    boss = Contact.objects.get(name="李总")
    response = client.post(add_url(world.account.pk), {**CONTACT, "reports_to": boss.pk}, **HTMX)
    assert response["HX-Retarget"] == "#contacts"
    assert "王经理" in response.content.decode()
    assert Contact.objects.get(name="王经理").reports_to_id == boss.pk


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_get_403_and_change_nothing(world: World, reader: str) -> None:
    contact = ContactFactory.create(account=world.account, name="李总")
    client = client_for(getattr(world, reader))
    assert client.get(add_url(world.account.pk)).status_code == 403
    assert client.post(add_url(world.account.pk), CONTACT).status_code == 403
    edit = reverse("relationships:contact_edit", args=[contact.pk])
    assert client.post(edit, {**CONTACT, "name": "改名"}).status_code == 403
    active = reverse("relationships:contact_active", args=[contact.pk])
    assert client.post(active, {"active": "0"}).status_code == 403
    assert list(Contact.objects.values_list("name", "is_active")) == [("李总", True)]


@pytest.mark.parametrize("who", ["kam", "director", "viewer"])
def test_another_teams_contacts_are_404(world: World, who: str) -> None:
    theirs = ContactFactory.create(account=world.other_account, name="别队")
    client = client_for(getattr(world, who))
    assert client.post(add_url(world.other_account.pk), CONTACT).status_code == 404
    edit = reverse("relationships:contact_edit", args=[theirs.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {**CONTACT, "name": "改名"}).status_code == 404
    active = reverse("relationships:contact_active", args=[theirs.pk])
    assert client.post(active, {"active": "0"}).status_code == 404
    assert list(Contact.objects.values_list("name", "is_active")) == [("别队", True)]


def test_a_loop_is_refused_on_reports_to(world: World, english: None) -> None:
    top = ContactFactory.create(account=world.account, name="李总")
    ContactFactory.create(account=world.account, name="王经理", reports_to=top)
    below = Contact.objects.get(name="王经理")
    edit = reverse("relationships:contact_edit", args=[top.pk])
    response = client_for(world.kam).post(edit, {**CONTACT, "name": "李总",
                                                 "reports_to": below.pk}, **HTMX)  # fmt: skip
    page = response.content.decode()
    assert 'data-testid="error-reports_to"' in page
    assert "Reports to: 王经理 already reports to this contact" in page
    top.refresh_from_db()
    assert top.reports_to_id is None


def test_a_contact_is_deactivated_and_brought_back(world: World) -> None:
    contact = ContactFactory.create(account=world.account, name="王经理")
    url = reverse("relationships:contact_active", args=[contact.pk])
    client = client_for(world.kam)
    response = client.post(url, {"active": "0"}, **HTMX)
    assert f'data-testid="reactivate-contact-{contact.pk}"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_active is False
    client.post(url, {"active": "1"}, **HTMX)
    contact.refresh_from_db()
    assert contact.is_active is True


def test_the_contact_form_costs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    for n in range(5):
        ContactFactory.create(account=world.account, name=f"联系人{n}")
    client = client_for(world.kam)
    with django_assert_num_queries(4):
        assert client.get(add_url(world.account.pk), **HTMX).status_code == 200
