"""/contacts: people at the accounts, with the accounts' visibility and write rules."""

from __future__ import annotations

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.relationships.models import Contact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_list_holds_the_contacts_of_visible_accounts(
    world: World, api: dict[str, ApiClient]
) -> None:
    mine = ContactFactory.create(account=world.account, name="王总")
    theirs = ContactFactory.create(account=world.other_account)
    assert [c["id"] for c in api["viewer"].get("/contacts").json()["items"]] == [mine.pk]
    assert {c["id"] for c in api["exec"].get("/contacts").json()["items"]} == {mine.pk, theirs.pk}
    assert api["viewer"].get("/contacts", {"q": "王"}).json()["count"] == 1
    assert api["other_kam"].get(f"/contacts/{mine.pk}").status_code == 404


def test_a_kam_creates_a_contact_at_their_account(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post(
        "/contacts",
        {
            "account_id": world.account.pk,
            "name": "李工",
            "influence_type": "technical",
            "support": 2,
            "stage_choice": True,
        },
    )
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.name, contact.support, contact.stage_choice) == ("李工", 2, True)


def test_another_teams_kam_can_not_add_a_contact(world: World, api: dict[str, ApiClient]) -> None:
    response = api["other_kam"].post("/contacts", {"account_id": world.account.pk, "name": "X"})
    assert response.status_code == 422  # the account reads as unknown, as one that is not there
    unknown = api["other_kam"].post("/contacts", {"account_id": 999999, "name": "X"})
    assert response.json() == unknown.json()
    assert response.json()["errors"][0]["loc"] == ["account_id"]
    assert not Contact.objects.exists()


def test_an_unknown_account_is_a_field_error(api: dict[str, ApiClient]) -> None:
    response = api["exec"].post("/contacts", {"account_id": 999999, "name": "X"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "account_id"


def test_out_of_range_values_are_field_errors(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post(
        "/contacts",
        {"account_id": world.account.pk, "name": "X", "influence_level": 9, "email": "no"},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"influence_level", "email"}
    assert not Contact.objects.exists()


def test_reports_to_must_be_at_the_same_account(world: World, api: dict[str, ApiClient]) -> None:
    boss = ContactFactory.create(account=world.other_account)
    response = api["exec"].post(
        "/contacts", {"account_id": world.account.pk, "name": "X", "reports_to_id": boss.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reports_to_id"


def test_update_and_delete(world: World, api: dict[str, ApiClient]) -> None:
    contact = ContactFactory.create(account=world.account)
    assert api["viewer"].patch(f"/contacts/{contact.pk}", {"title": "总经理"}).status_code == 403
    assert api["other_kam"].patch(f"/contacts/{contact.pk}", {"title": "总经理"}).status_code == 404
    contact.refresh_from_db()
    assert contact.title == "采购经理"
    response = api["kam"].patch(f"/contacts/{contact.pk}", {"title": "总经理"})
    assert response.json()["title"] == "总经理"
    assert api["other_kam"].delete(f"/contacts/{contact.pk}").status_code == 404
    assert api["kam"].delete(f"/contacts/{contact.pk}").status_code == 204
    assert not Contact.objects.exists()


def test_a_contact_can_not_be_moved_to_another_teams_account(
    world: World, api: dict[str, ApiClient]
) -> None:
    contact = ContactFactory.create(account=world.account)
    response = api["kam"].patch(f"/contacts/{contact.pk}", {"account_id": world.other_account.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "account_id"
    contact.refresh_from_db()
    assert contact.account_id == world.account.pk


def test_reports_to_can_not_close_a_loop(world: World, api: dict[str, ApiClient]) -> None:
    boss = ContactFactory.create(account=world.account)
    report = ContactFactory.create(account=world.account, reports_to=boss)
    response = api["kam"].patch(f"/contacts/{boss.pk}", {"reports_to_id": report.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["reports_to_id"]
    boss.refresh_from_db()
    assert boss.reports_to_id is None
    response = api["kam"].patch(f"/contacts/{boss.pk}", {"reports_to_id": boss.pk})
    assert response.status_code == 422
