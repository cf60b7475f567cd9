"""The new-account page: readers refused (403, nothing saved), a KAM creates into their team
as the owner, likely duplicates are shown before anything is saved and a confirmation creates
it anyway, errors name their field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

URL = reverse("accounts:create")


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_get_403_and_save_nothing(world: World, reader: str) -> None:
    client = client_for(getattr(world, reader))
    before = Account.objects.count()
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"legal_name": "新客户有限公司", "team_id": world.team.pk})
    assert response.status_code == 403
    assert Account.objects.count() == before


def test_a_kam_creates_into_their_team_with_themselves_as_owner(world: World) -> None:
    client = client_for(world.kam)
    page = client.get(URL).content.decode()
    assert 'data-testid="owner-fixed"' in page
    assert world.other_team.name not in page
    response = client.post(URL, {"legal_name": "宁波新材料有限公司", "team_id": world.team.pk,
                                 "owner_id": world.other_kam.pk, "tier": "strategic"})  # fmt: skip
    created = Account.objects.get(legal_name="宁波新材料有限公司")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert (created.team_id, created.owner_id, created.tier) == (
        world.team.pk,
        world.kam.pk,
        "general",
    )


def test_a_kam_cannot_post_another_teams_id(world: World) -> None:
    client = client_for(world.kam)
    before = Account.objects.count()
    response = client.post(URL, {"legal_name": "越界公司", "team_id": world.other_team.pk})
    assert response.status_code == 200
    assert 'data-testid="error-team_id"' in response.content.decode()
    assert Account.objects.count() == before


def test_likely_duplicates_are_shown_before_saving_then_confirmed(world: World) -> None:
    existing = AccountFactory.create(team=world.team, legal_name="宁波新材料股份有限公司")
    client = client_for(world.director)
    data = {"legal_name": "宁波新材料有限公司", "team_id": world.team.pk,
            "owner_id": world.kam.pk, "tier": "key"}  # fmt: skip
    before = Account.objects.count()
    first = client.post(URL, data)
    page = first.content.decode()
    assert first.status_code == 200
    assert 'data-testid="duplicates"' in page
    assert existing.get_absolute_url() in page
    assert Account.objects.count() == before
    confirmed = client.post(URL, {**data, "confirm_duplicates": "on"})
    assert confirmed.status_code == 302
    created = Account.objects.get(legal_name="宁波新材料有限公司")
    assert (created.owner_id, created.tier) == (world.kam.pk, "key")


def test_errors_name_their_field(world: World, english: None) -> None:
    response = client_for(world.kam).post(URL, {"legal_name": "", "credit_code": "123",
                                                "team_id": world.team.pk})  # fmt: skip
    page = response.content.decode()
    assert 'data-testid="error-legal_name"' in page
    assert "Legal name: This field is required." in page
    assert 'data-testid="error-credit_code"' in page
    assert "Unified social credit code: Invalid unified social credit code" in page


def test_the_account_list_offers_the_page_to_writers_only(world: World) -> None:
    assert URL in client_for(world.kam).get(reverse("accounts:list")).content.decode()
    assert URL not in client_for(world.viewer).get(reverse("accounts:list")).content.decode()
