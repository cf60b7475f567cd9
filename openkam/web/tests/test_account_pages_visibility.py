"""Who may open which account: a page the user may not see answers 404, never its data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.team.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def detail(account: Account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def listed(user: User) -> set[int]:
    response = client_for(user).get(reverse("accounts:list"))
    assert response.status_code == 200
    return {account.pk for account in response.context["page"].object_list}


def test_kam_sees_their_account(world: World) -> None:
    response = client_for(world.kam).get(detail(world.account))
    assert response.status_code == 200
    assert world.account.legal_name in response.content.decode()


def test_kam_of_another_team_gets_404_on_the_first_teams_account(world: World) -> None:
    response = client_for(world.other_kam).get(detail(world.account))
    assert response.status_code == 404
    assert world.account.legal_name not in response.content.decode()


def test_kam_of_another_team_does_not_see_the_account_in_the_list(world: World) -> None:
    assert listed(world.other_kam) == {world.other_account.pk}


def test_kam_does_not_see_unassigned_accounts(world: World) -> None:
    assert client_for(world.kam).get(detail(world.unassigned_account)).status_code == 404
    assert listed(world.kam) == {world.account.pk}


def test_director_sees_their_teams_accounts_only(world: World) -> None:
    assert listed(world.director) == {world.account.pk}
    assert client_for(world.director).get(detail(world.account)).status_code == 200
    assert client_for(world.director).get(detail(world.other_account)).status_code == 404


def test_viewer_in_the_team_sees_the_teams_account(world: World) -> None:
    assert listed(world.viewer) == {world.account.pk}
    assert client_for(world.viewer).get(detail(world.other_account)).status_code == 404


@pytest.mark.parametrize("persona", ["executive", "analyst"])
def test_executive_and_analyst_see_every_account(world: World, persona: str) -> None:
    user = getattr(world, persona)
    everyone = {world.account.pk, world.other_account.pk, world.unassigned_account.pk}
    assert listed(user) == everyone
    for account in (world.account, world.other_account, world.unassigned_account):
        assert client_for(user).get(detail(account)).status_code == 200


@pytest.mark.parametrize("url_name", ["home", "accounts:list"])
def test_anonymous_users_are_sent_to_the_login_page(world: World, url_name: str) -> None:
    response = Client().get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_anonymous_users_are_sent_to_the_login_page_from_an_account(world: World) -> None:
    response = Client().get(detail(world.account))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={detail(world.account)}"


def test_an_unknown_account_is_404(world: World) -> None:
    assert client_for(world.executive).get("/accounts/999999/").status_code == 404


def test_kam_filter_choices_name_only_kams_of_visible_accounts(world: World) -> None:
    response = client_for(world.kam).get(reverse("accounts:list"))
    form = response.context["form"]
    assert list(form.fields["owner"].queryset) == [world.kam]
    assert list(form.fields["team"].queryset) == [world.team]
    assert "华南大客户部" not in response.content.decode()


def test_group_parents_the_user_may_not_see_are_not_linked(world: World) -> None:
    world.account.parent = world.other_account
    world.account.save()
    response = client_for(world.kam).get(detail(world.account))
    assert response.status_code == 200
    assert f'href="{detail(world.other_account)}"' not in response.content.decode()


def test_the_404_page_is_the_products_and_tells_nothing_about_the_account(world: World) -> None:
    response = client_for(world.other_kam).get(detail(world.account))
    html = response.content.decode()
    assert 'data-testid="not-found"' in html
    assert world.account.credit_code not in html
    assert world.account.short_name not in html
