"""The assign page (issue 15): an executive gives accounts without a team or owner any team and
one of its KAMs; a director their own team's, only for accounts without a team or already in
it (another team's: 404); KAMs, analysts and viewers 403, anonymous users to the login page;
nothing saved on any refusal or error; every change a version of the account by its author."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.team.models import User

pytestmark = pytest.mark.django_db
URL = reverse("imports:assign")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _state() -> list[tuple[int, Any, Any]]:
    return list(Account.objects.order_by("pk").values_list("pk", "team_id", "owner_id"))


def _post(user: User, accounts: list[int], **data: Any) -> Any:
    return client_for(user).post(URL, {"accounts": accounts, **data}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_director_assigns_new_accounts_to_their_team_and_kam_with_history(
    world: World,
) -> None:
    second = AccountFactory.create(team=None, owner=None, legal_name="导入客户乙有限公司")
    ids = [world.unassigned_account.pk, second.pk]
    client = client_for(world.director)
    client.cookies["django_language"] = "zh-hans"
    data = {"accounts": ids, "team": world.team.pk, "owner": world.kam.pk}
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    for account in Account.objects.filter(pk__in=ids):
        assert (account.team, account.owner) == (world.team, world.kam)
        latest = account.history.latest()
        assert latest.history_user == world.director
        assert latest.history_change_reason == "assigned to a team and an owner"
    assert f"已将 2 个客户分配给华东大客户部（负责人：{world.kam}）。" in response.content.decode()
    assert world.other_account.history.count() == 1  # only its creation


def test_the_director_lists_unassigned_and_their_teams_accounts_not_anothers(
    world: World,
) -> None:
    response = client_for(world.director).get(URL)
    assert response.status_code == 200
    shown = {a.pk for a in response.context["page"].object_list}
    assert shown == {world.unassigned_account.pk, world.account.pk}
    # search, sort, empty state
    searched = client_for(world.director).get(URL, {"q": world.account.legal_name})
    assert [a.pk for a in searched.context["page"].object_list] == [world.account.pk]
    empty = client_for(world.director).get(URL, {"q": "没有这个客户"})
    assert "没有符合搜索条件的客户。" in empty.content.decode()
    ordered = client_for(world.director).get(URL, {"sort": "name"}).context["page"]
    names = [a.legal_name for a in ordered.object_list]
    assert names == sorted(names)


def test_a_director_may_not_take_another_teams_account_404_nothing_saved(world: World) -> None:
    before = _state()
    ids = [world.unassigned_account.pk, world.other_account.pk]
    response = _post(world.director, ids, team=world.team.pk, owner=world.kam.pk)
    assert response.status_code == 404
    assert _state() == before


def test_a_director_may_not_assign_to_another_team_nothing_saved(world: World) -> None:
    before = _state()
    response = _post(world.director, [world.unassigned_account.pk], team=world.other_team.pk)
    assert response.status_code == 400
    assert "team" in response.context["form"].errors
    assert _state() == before


def test_an_owner_outside_the_team_is_an_error_naming_the_field(world: World) -> None:
    before = _state()
    response = _post(world.executive, [world.unassigned_account.pk], team=world.team.pk,
                     owner=world.other_kam.pk)  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["owner"] == [f"{world.other_kam} is not a key account manager of 华东大客户部."]
    assert 'data-testid="error-owner"' in response.content.decode()
    assert _state() == before


def test_no_account_ticked_is_an_error_naming_the_field(world: World) -> None:
    response = _post(world.executive, [], team=world.team.pk)
    assert response.status_code == 400
    assert response.context["form"].errors["accounts"] == ["Tick at least one account."]


def test_an_executive_assigns_to_any_team_and_may_leave_the_owner_empty(world: World) -> None:
    ownerless = AccountFactory.create(team=world.team, owner=None)
    shown = {a.pk for a in client_for(world.executive).get(URL).context["page"].object_list}
    assert shown == {world.unassigned_account.pk, ownerless.pk}
    response = _post(world.executive, [world.unassigned_account.pk, ownerless.pk],
                     team=world.other_team.pk, owner=world.other_kam.pk)  # fmt: skip
    assert response.status_code == 302
    for pk in (world.unassigned_account.pk, ownerless.pk):
        account = Account.objects.get(pk=pk)
        assert (account.team, account.owner) == (world.other_team, world.other_kam)
    # An account with both a team and an owner is not the executive's to assign here: 404.
    before = _state()
    assert _post(world.executive, [world.account.pk], team=world.team.pk).status_code == 404
    assert _state() == before
    response = _post(world.executive, [AccountFactory.create(team=None).pk], team=world.team.pk)
    assert response.status_code == 302
    assert Account.objects.latest("pk").owner is None


@pytest.mark.parametrize("who", ["kam", "analyst", "viewer"])
def test_kams_analysts_and_viewers_are_refused_nothing_saved(world: World, who: str) -> None:
    user = getattr(world, who)
    before = _state()
    assert client_for(user).get(URL).status_code == 403
    response = _post(user, [world.unassigned_account.pk], team=world.team.pk, owner=world.kam.pk)
    assert response.status_code == 403
    assert _state() == before


def test_anonymous_users_are_sent_to_log_in(world: World) -> None:
    before = _state()
    for response in (Client().get(URL), Client().post(URL, {"accounts": [1], "team": 1})):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert _state() == before


def test_the_page_pages_through_many_accounts(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    AccountFactory.create_batch(3, team=None, owner=None)
    response = client_for(world.director).get(URL, {"page": 2})
    assert response.context["page"].paginator.count == 5  # 4 without a team, 1 of the team
    assert len(response.context["page"].object_list) == 2
