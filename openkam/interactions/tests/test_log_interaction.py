"""Logging an interaction from the account's timeline (htmx form)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.models import Interaction
from openkam.relationships.models import Contact


@pytest.fixture
def buyer(world: World) -> Contact:
    return ContactFactory.create(account=world.account, name="王经理")


def form(contact: Contact, **overrides: object) -> dict[str, object]:
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    data: dict[str, object] = {
        "kind": "visit",
        "status": "done",
        "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "subject": "年度采购计划沟通",
        "notes": "客户计划扩产",
        "their_participants": [str(contact.pk)],
        "next_step": "提交正式报价",
        "next_step_due": (yesterday + dt.timedelta(days=7)).date().isoformat(),
    }
    data.update(overrides)
    return data


def test_the_kam_logs_a_visit_and_sees_it_on_the_timeline(world: World, buyer: Contact) -> None:
    url = reverse("interactions:log", args=[world.account.pk])
    response = client_for(world.kam).post(url, form(buyer), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "interactionLogged"
    content = response.content.decode()
    assert 'data-testid="log-success"' in content
    assert 'id="timeline" class="card-body" hx-swap-oob="true"' in content
    assert "年度采购计划沟通" in content
    assert '<span id="contact-due" hx-swap-oob="true"' in content
    logged = Interaction.objects.get()
    assert logged.account == world.account
    assert list(logged.our_participants.all()) == [world.kam]
    assert list(logged.their_participants.all()) == [buyer]
    assert logged.next_step_owner == world.kam
    assert logged.created_by == world.kam
    assert logged.history.count() == 1


def test_a_done_interaction_in_the_future_is_refused_and_nothing_saved(
    world: World, buyer: Contact
) -> None:
    later = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("interactions:log", args=[world.account.pk])
    response = client_for(world.kam).post(url, form(buyer, starts_at=later))
    assert response.status_code == 200
    assert 'data-testid="error-starts_at"' in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_missing_subject_and_a_due_date_without_a_step_are_named(
    world: World, buyer: Contact, english: None
) -> None:
    url = reverse("interactions:log", args=[world.account.pk])
    response = client_for(world.kam).post(url, form(buyer, subject="", next_step=""))
    content = response.content.decode()
    assert 'data-testid="error-subject"' in content
    assert "Say what the next step is" in content
    assert not Interaction.objects.exists()


def test_a_contact_of_another_account_cannot_take_part(world: World, buyer: Contact) -> None:
    stranger = ContactFactory.create(account=world.other_account)
    url = reverse("interactions:log", args=[world.account.pk])
    response = client_for(world.kam).post(url, form(buyer, their_participants=[str(stranger.pk)]))
    assert 'data-testid="error-their_participants"' in response.content.decode()
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("other_kam", 404), ("viewer", 403), ("analyst", 403)]
)
def test_who_may_not_write_is_refused_and_nothing_is_saved(
    world: World, buyer: Contact, persona: str, status: int
) -> None:
    """Another team's KAM does not see the account (404); a role that reads only does (403)."""
    url = reverse("interactions:log", args=[world.account.pk])
    response = client_for(getattr(world, persona)).post(url, form(buyer))
    assert response.status_code == status
    assert not Interaction.objects.exists()


def test_the_director_and_the_executive_may_log(world: World, buyer: Contact) -> None:
    url = reverse("interactions:log", args=[world.account.pk])
    for user in (world.director, world.executive):
        assert client_for(user).post(url, form(buyer)).status_code == 200
    assert Interaction.objects.count() == 2
