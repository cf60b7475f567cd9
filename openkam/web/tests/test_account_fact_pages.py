"""The account page's facts, added and edited in place: every persona (another team's
account 404, readers 403, nothing saved), the tab answered after a write (htmx), the field
named in each error, the empty states linking to the form, and the forms' queries pinned."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import CompetitorPresence, Need, Shareholder
from openkam.conftest import World, client_for

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
NEED = {"kind": "cost", "priority": "high", "description": "降低库存资金占用", "status": "open"}


def add_url(account_id: int, kind: str) -> str:
    return reverse("accounts:fact_add", args=[account_id, kind])


@pytest.mark.parametrize("writer", ["kam", "director", "executive"])
def test_writers_add_a_need_and_get_the_tab_back(world: World, writer: str) -> None:
    client = client_for(getattr(world, writer))
    response = client.post(add_url(world.account.pk, "need"),
                           {**NEED, "owner": world.kam.pk}, **HTMX)  # fmt: skip
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#needs"
    assert "降低库存资金占用" in response.content.decode()
    need = Need.objects.get()
    assert (need.account_id, need.owner_id) == (world.account.pk, world.kam.pk)


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_get_403_and_save_nothing(world: World, reader: str) -> None:
    client = client_for(getattr(world, reader))
    assert client.get(add_url(world.account.pk, "need")).status_code == 403
    assert client.post(add_url(world.account.pk, "need"), NEED).status_code == 403
    assert not Need.objects.exists()


@pytest.mark.parametrize("who", ["kam", "director", "viewer"])
def test_another_teams_account_is_404_and_nothing_is_saved(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    url = add_url(world.other_account.pk, "need")
    assert client.get(url).status_code == 404
    assert client.post(url, NEED).status_code == 404
    theirs = Need.objects.create(account=world.other_account, kind="price", description="降价")
    edit = reverse("accounts:fact_edit", args=[world.other_account.pk, "need", theirs.pk])
    assert client.post(edit, NEED).status_code == 404
    delete = reverse("accounts:fact_delete", args=[world.other_account.pk, "need", theirs.pk])
    assert client.post(delete).status_code == 404
    assert list(Need.objects.values_list("description", flat=True)) == ["降价"]


def test_a_fact_of_one_account_is_not_edited_through_another(world: World) -> None:
    theirs = Need.objects.create(account=world.unassigned_account, kind="price", description="x")
    url = reverse("accounts:fact_edit", args=[world.account.pk, "need", theirs.pk])
    assert client_for(world.executive).post(url, NEED).status_code == 404


def test_an_unknown_kind_is_404(world: World) -> None:
    assert client_for(world.kam).get(add_url(world.account.pk, "gossip")).status_code == 404


def test_an_invalid_form_comes_back_with_the_field_named(world: World, english: None) -> None:
    client = client_for(world.kam)
    data = {"name": "", "kind": "state", "share_percent": "120"}
    response = client.post(add_url(world.account.pk, "shareholder"), data, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "Name: This field is required." in page
    assert 'data-testid="error-share_percent"' in page
    assert not Shareholder.objects.exists()


def test_a_need_is_edited_then_met(world: World) -> None:
    need = Need.objects.create(account=world.account, kind="cost", description="降本")
    url = reverse("accounts:fact_edit", args=[world.account.pk, "need", need.pk])
    client = client_for(world.kam)
    form = client.get(url, **HTMX).content.decode()
    assert "降本" in form
    assert 'data-testid="delete-need"' in form
    client.post(url, {**NEED, "description": "降本", "status": "met", "our_response": "寄售"})
    need.refresh_from_db()
    assert (need.status, need.our_response) == ("met", "寄售")
    assert need.history.first().history_user == world.kam


def test_a_competitor_is_added_by_name_and_linked_to_its_page(world: World) -> None:
    client = client_for(world.kam)
    response = client.post(add_url(world.account.pk, "competitor"),
                           {"competitor": "华钢导轨", "share_of_wallet": "35"}, **HTMX)  # fmt: skip
    presence = CompetitorPresence.objects.select_related("competitor").get()
    assert presence.competitor.name == "华钢导轨"
    assert (
        reverse("accounts:competitor", args=[presence.competitor_id]) in response.content.decode()
    )


def test_a_fact_removed_leaves_the_tab_without_it(world: World) -> None:
    holder = Shareholder.objects.create(account=world.account, name="宁波国资", kind="state")
    url = reverse("accounts:fact_delete", args=[world.account.pk, "shareholder", holder.pk])
    response = client_for(world.director).post(url, **HTMX)
    assert response["HX-Retarget"] == "#profile"
    assert "宁波国资" not in response.content.decode()
    assert not Shareholder.objects.exists()


def test_without_htmx_a_save_returns_to_the_account_tab(world: World) -> None:
    response = client_for(world.kam).post(add_url(world.account.pk, "need"), NEED)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[world.account.pk]) + "#needs"
    page = client_for(world.kam).get(add_url(world.account.pk, "need"))
    assert page.status_code == 200
    assert "<html" in page.content.decode()


TABS = {
    "profile": ["shareholder", "officer", "business-unit", "location", "event"],
    "finance": ["financial-year", "outlook", "budget-cycle"],
    "needs": ["need", "competitor", "wallet"],
}


@pytest.mark.parametrize("tab", TABS)
def test_empty_states_link_to_the_form_that_fills_them(world: World, tab: str) -> None:
    url = reverse("accounts:tab", args=[world.account.pk, tab])
    writer = client_for(world.kam).get(url).content.decode()
    reader = client_for(world.viewer).get(url).content.decode()
    for kind in TABS[tab]:
        assert f'data-testid="empty-add-{kind}"' in writer
        assert add_url(world.account.pk, kind) in writer
        assert add_url(world.account.pk, kind) not in reader


def _queries(client: Client, url: str, django_assert_num_queries: Any, n: int) -> None:
    with django_assert_num_queries(n):
        assert client.get(url, **HTMX).status_code == 200


@pytest.mark.parametrize(("kind", "n"), [("need", 4), ("competitor", 4), ("shareholder", 3)])
def test_a_form_costs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any, kind: str, n: int
) -> None:
    client = client_for(world.kam)
    _queries(client, add_url(world.account.pk, kind), django_assert_num_queries, n)
