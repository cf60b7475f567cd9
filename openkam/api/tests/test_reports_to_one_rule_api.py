"""Whom a contact reports to is one rule (relationships.services.contact_reports_to_check):
the API refuses a boss at another account, and a reporting loop, with the relationship map's
own sentences."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.relationships import services
from openkam.relationships.models import Contact

pytestmark = pytest.mark.django_db


def _page_error(html: str) -> str:
    found = re.search(r'data-testid="editor-error"[^>]*>(.*?)</', html, re.S)
    assert found, html
    return unescape(found.group(1)).strip()


def test_a_loop_reads_the_same_over_the_api_and_on_the_map(
    world: World, api: dict[str, ApiClient], english: None
) -> None:
    buyer = ContactFactory.create(account=world.account, name="王经理")
    boss = ContactFactory.create(account=world.account, name="刘总", reports_to=buyer)
    url = reverse("relationships:contact_field", kwargs={"pk": buyer.pk, "field": "reports_to"})
    page = client_for(world.kam).post(url, {"reports_to": str(boss.pk)}).content.decode()
    response = api["kam"].patch(
        f"/contacts/{buyer.pk}", {"reports_to_id": boss.pk}, Accept_Language="en"
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["reports_to_id"]
    assert error["message"] == "刘总 already reports to this contact, directly or not."
    assert error["message"] in _page_error(page)
    buyer.refresh_from_db()
    assert buyer.reports_to_id is None


def test_a_boss_at_another_account_reads_as_the_service_says(
    world: World, api: dict[str, ApiClient], english: None
) -> None:
    contact = ContactFactory.create(account=world.account)
    stranger = ContactFactory.create(account=world.other_account)
    with pytest.raises(ValidationError) as refused:
        services.contact_update(contact=contact, changes={"reports_to": stranger}, by=world.kam)
    before = Contact.objects.count()
    response = api["exec"].post(
        "/contacts",
        {"account_id": world.account.pk, "name": "新人", "reports_to_id": stranger.pk},
        Accept_Language="en",
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["reports_to_id"]
    assert [error["message"]] == refused.value.message_dict["reports_to"]
    assert error["message"] == "Choose a contact of the same account."
    assert Contact.objects.count() == before


def test_a_deep_chain_is_walked_in_one_query(world: World, django_assert_num_queries) -> None:
    chain = [ContactFactory.create(account=world.account)]
    for _ in range(6):
        chain.append(ContactFactory.create(account=world.account, reports_to=chain[-1]))
    with django_assert_num_queries(1), pytest.raises(ValidationError):
        services.contact_reports_to_check(chain[0], chain[-1])
