"""The account team card and its htmx forms, by every persona: the account's KAM, its
director and executives change the team; whoever sees the account reads it; another team's
KAM gets 404 and anonymous users the log-in page; nothing is saved on a refusal. A quality
engineer seated on the team sees that account's page, read only, and no other account."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account, AccountTeamMember, Need
from openkam.conftest import World, client_for
from openkam.factories import UserFactory
from openkam.team.models import Function, Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HX-Request": "true"}
MANAGERS = ["kam", "director", "executive"]


@pytest.fixture
def engineer(world: World) -> User:
    """A quality engineer in no sales team, seated on the account's team."""
    user = UserFactory.create(
        username="qe", role=Role.VIEWER, function=Function.QUALITY, display_name="许质检"
    )
    AccountTeamMember.objects.create(account=world.account, user=user, role="quality")
    return user


def persona(world: World, engineer: User, who: str) -> Client:
    if who == "anonymous":
        return Client()
    return client_for(engineer if who == "engineer" else getattr(world, who))


def add(client: Client, world: World, **data: Any) -> Any:
    url = reverse("account_team:add", args=[world.account.pk])
    return client.post(url, {"role": "finance", "note": "", **data}, headers=HTMX)


@pytest.mark.parametrize("who", MANAGERS)
def test_the_card_offers_its_forms_to_those_who_manage_the_team(
    world: World, engineer: User, who: str
) -> None:
    response = persona(world, engineer, who).get(
        reverse("account_team:card", args=[world.account.pk]), headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "许质检" in body
    assert 'data-testid="account-team-open-add"' in body
    assert 'data-testid="account-team-remove"' in body


@pytest.mark.parametrize("who", ["analyst", "viewer", "engineer"])
def test_readers_see_the_card_without_forms(world: World, engineer: User, who: str) -> None:
    response = persona(world, engineer, who).get(
        reverse("account_team:card", args=[world.account.pk]), headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "许质检" in body
    assert "Quality support" in body
    assert "account-team-open-add" not in body
    assert "account-team-remove" not in body


@pytest.mark.parametrize("who", MANAGERS)
def test_a_manager_adds_a_member_and_gets_the_card_back(
    world: World, engineer: User, who: str
) -> None:
    response = add(persona(world, engineer, who), world, user_id=world.viewer.pk, note="开票")
    assert response.status_code == 200
    assert 'data-testid="account-team-card"' in response.content.decode()
    member = AccountTeamMember.objects.get(user=world.viewer)
    assert (member.account, member.role, member.note) == (world.account, "finance", "开票")


@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 403), ("viewer", 403), ("engineer", 403), ("other_kam", 404)],
)
def test_others_are_refused_every_change_and_nothing_is_saved(
    world: World, engineer: User, who: str, status: int
) -> None:
    client = persona(world, engineer, who)
    seat = AccountTeamMember.objects.get(user=engineer)
    before = list(AccountTeamMember.objects.values_list("pk", "role", "note"))
    assert client.get(reverse("account_team:add", args=[world.account.pk])).status_code == status
    assert add(client, world, user_id=world.viewer.pk).status_code == status
    change = client.post(
        reverse("account_team:change", args=[seat.pk]), {"role": "rnd"}, headers=HTMX
    )
    assert change.status_code == status
    remove = client.post(reverse("account_team:remove", args=[seat.pk]), headers=HTMX)
    assert remove.status_code == status
    assert list(AccountTeamMember.objects.values_list("pk", "role", "note")) == before


def test_anonymous_users_are_sent_to_log_in(world: World, engineer: User) -> None:
    seat = AccountTeamMember.objects.get(user=engineer)
    client = Client()
    for url in (
        reverse("account_team:card", args=[world.account.pk]),
        reverse("account_team:history", args=[world.account.pk]),
    ):
        assert client.get(url).status_code == 302
    assert client.post(reverse("account_team:remove", args=[seat.pk])).status_code == 302
    assert AccountTeamMember.objects.filter(pk=seat.pk).exists()


def test_another_teams_kam_sees_neither_card_nor_history(world: World, engineer: User) -> None:
    client = client_for(world.other_kam)
    for name in ("account_team:card", "account_team:history"):
        assert client.get(reverse(name, args=[world.account.pk])).status_code == 404


def test_a_refused_member_shows_the_reason_in_the_open_form(world: World, engineer: User) -> None:
    response = add(client_for(world.kam), world, user_id=world.other_kam.pk, role="rnd")
    assert response.status_code == 200
    body = response.content.decode()
    assert "another team cannot join" in body
    assert 'data-testid="account-team-add-form"' in body
    assert not AccountTeamMember.objects.filter(user=world.other_kam).exists()


def test_change_and_remove_keep_their_history(world: World, engineer: User) -> None:
    client = client_for(world.kam)
    seat = AccountTeamMember.objects.get(user=engineer)
    change = reverse("account_team:change", args=[seat.pk])
    response = client.post(change, {"role": "service"}, headers=HTMX)
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.role == "service"
    response = client.post(reverse("account_team:remove", args=[seat.pk]), headers=HTMX)
    assert response.status_code == 200
    assert not AccountTeamMember.objects.filter(pk=seat.pk).exists()
    history = client.get(reverse("account_team:history", args=[world.account.pk]), headers=HTMX)
    body = history.content.decode()
    kinds = [part[0] for part in body.split('data-kind="')[1:]]
    assert kinds == ["-", "~", "+"]
    assert "removed 许质检 (Service support)" in body
    assert "made 许质检 Service support" in body


def test_a_bad_role_is_a_clear_400_and_changes_nothing(world: World, engineer: User) -> None:
    seat = AccountTeamMember.objects.get(user=engineer)
    response = client_for(world.kam).post(
        reverse("account_team:change", args=[seat.pk]), {"role": "chef"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Role" in response.content.decode()
    seat.refresh_from_db()
    assert seat.role == "quality"


def test_the_engineer_reads_the_account_page_cannot_edit_it_and_sees_no_other(
    world: World, engineer: User
) -> None:
    client = client_for(engineer)
    assert client.get(reverse("accounts:detail", args=[world.account.pk])).status_code == 200
    cards = client.get(reverse("accounts:tab", args=[world.account.pk, "cards"]))
    assert cards.status_code == 200
    assert 'data-testid="account-team-card"' in cards.content.decode()
    listed = client.get(reverse("accounts:list"))
    assert world.account.legal_name in listed.content.decode()
    assert world.other_account.legal_name not in listed.content.decode()
    fact = reverse("accounts:fact_add", args=[world.account.pk, "need"])
    response = client.post(fact, {"kind": "price", "description": "降价", "priority": "high"})
    assert response.status_code == 403
    assert not Need.objects.exists()
    assert client.get(reverse("accounts:detail", args=[world.other_account.pk])).status_code == 404
    AccountTeamMember.objects.filter(user=engineer).delete()
    assert client.get(reverse("accounts:detail", args=[world.account.pk])).status_code == 404


def test_an_account_run_by_an_executive_says_so_and_the_executive_runs_its_team(
    world: World,
) -> None:
    world.account.owner = world.executive
    world.account.save()
    url = reverse("account_team:card", args=[world.account.pk])
    body = client_for(world.director).get(url, headers=HTMX).content.decode()
    assert 'data-testid="account-run-by-executive"' in body
    assert "Run by an executive" in body
    assert "account-team-open-add" in body  # the team's director still manages it
    kam_card = client_for(world.kam).get(url, headers=HTMX).content.decode()
    assert "account-team-open-add" not in kam_card  # no longer its KAM


def test_a_director_may_give_a_new_account_to_an_executive(world: World) -> None:
    """任用高管人员负责: the director's new-account form offers the executives as owners."""
    client = client_for(world.director)
    response = client.post(
        reverse("accounts:create"),
        {"legal_name": "宁波高管负责有限公司", "team_id": world.team.pk,
         "owner_id": world.executive.pk, "tier": "strategic"},
    )  # fmt: skip
    assert response.status_code == 302
    created = Account.objects.get(legal_name="宁波高管负责有限公司")
    assert (created.team_id, created.owner_id) == (world.team.pk, world.executive.pk)
