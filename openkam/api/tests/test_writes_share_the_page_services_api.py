"""The API's account and contact writes are the account pages' services
(accounts.services.account_create, relationships.services.contact_create / contact_edit):
the same input refused with the same sentence on the same field, and the history names the
user either way."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory, credit_code_for
from openkam.relationships.models import Contact

pytestmark = pytest.mark.django_db


def _page_error(html: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}"[^>]*>(.*?)</', html, re.S)
    assert found, html
    return unescape(found.group(1)).strip()


def test_a_taken_credit_code_reads_the_same_on_the_page_and_over_the_api(
    world: World, api: dict[str, ApiClient], english: None
) -> None:
    world.other_account.credit_code = credit_code_for(42)
    world.other_account.save()
    before = Account.objects.count()
    response = api["kam"].post(
        "/accounts",
        {"legal_name": "甬材", "team_id": world.team.pk, "credit_code": credit_code_for(42)},
        Accept_Language="en",
    )
    page = client_for(world.kam).post(
        reverse("accounts:create"),
        {"legal_name": "甬材", "team_id": world.team.pk, "credit_code": credit_code_for(42),
         "confirm_duplicates": "on"},
    ).content.decode()  # fmt: skip
    error = response.json()["errors"][0]
    assert (response.status_code, error["loc"]) == (422, ["credit_code"])
    assert _page_error(page, "credit_code") == f"Unified social credit code: {error['message']}"
    assert Account.objects.count() == before


def test_an_account_created_over_the_api_names_its_author_in_the_history(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["kam"].post("/accounts", {"legal_name": "甬材", "team_id": world.team.pk})
    assert response.status_code == 201
    account = Account.objects.get(pk=response.json()["id"])
    assert account.history.get().history_user == world.kam


def test_a_contact_created_and_moved_over_the_api_keeps_the_reports_to_rule(
    world: World, api: dict[str, ApiClient], english: None
) -> None:
    boss = ContactFactory.create(account=world.account, name="刘总")
    response = api["exec"].post(
        "/contacts", {"account_id": world.account.pk, "name": "新人", "reports_to_id": boss.pk}
    )
    assert response.status_code == 201
    contact = Contact.objects.get(name="新人")
    assert contact.history.get().history_user == world.executive
    moved = api["exec"].patch(
        f"/contacts/{contact.pk}", {"account_id": world.unassigned_account.pk}, Accept_Language="en"
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["loc"] == ["reports_to_id"]
    contact.refresh_from_db()
    assert contact.account_id == world.account.pk
    moved = api["exec"].patch(
        f"/contacts/{contact.pk}",
        {"account_id": world.unassigned_account.pk, "reports_to_id": None},
    )
    assert moved.status_code == 200
    contact.refresh_from_db()
    assert (contact.account_id, contact.reports_to_id) == (world.unassigned_account.pk, None)
