"""The account pages of the back office."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from openkam.accounts.models import Account, Shareholder, Tier
from openkam.common.tests.test_admin_pages import admin_form_data
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, IndustryFactory, TeamFactory, UserFactory
from openkam.team.models import User

CHANGELIST = reverse("admin:accounts_account_changelist")


def change_url(account: Account) -> str:
    return reverse("admin:accounts_account_change", args=[account.pk])


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    return client_for(superuser)


def accounts_with_their_own_team_and_kam(count: int) -> list[Account]:
    industry = IndustryFactory.create()
    return [
        AccountFactory.create(
            industry=industry, team=TeamFactory.create(), owner=UserFactory.create()
        )
        for _ in range(count)
    ]


def test_searching_the_account_list_by_credit_code_finds_the_account(
    superuser_client: Client,
) -> None:
    wanted, *_others = AccountFactory.create_batch(4)

    response = superuser_client.get(CHANGELIST, {"q": wanted.credit_code})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_account_list_makes_no_more_queries_for_20_rows_than_for_3(
    superuser_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    accounts_with_their_own_team_and_kam(3)
    superuser_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as three_rows:
        response = superuser_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 3

    accounts_with_their_own_team_and_kam(17)
    with django_assert_max_num_queries(len(three_rows)):
        response = superuser_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 20


def test_a_kam_without_staff_status_is_sent_to_the_admin_login(world: World) -> None:
    response = client_for(world.kam).get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_kam_without_staff_status_cannot_open_an_account_in_the_admin(world: World) -> None:
    response = client_for(world.kam).get(change_url(world.account))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_editing_an_account_in_the_admin_records_who_changed_what(
    superuser: User, superuser_client: Client
) -> None:
    account = AccountFactory.create(tier=Tier.GENERAL)
    data = admin_form_data(superuser_client.get(change_url(account)))
    data["tier"] = Tier.KEY

    response = superuser_client.post(change_url(account), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    account.refresh_from_db()
    assert account.tier == Tier.KEY
    change = account.history.latest()
    assert (change.history_type, change.history_user, change.tier) == ("~", superuser, Tier.KEY)
    assert change.prev_record is not None
    assert change.prev_record.tier == Tier.GENERAL


def test_the_history_page_of_an_account_names_who_changed_it(
    superuser: User, superuser_client: Client
) -> None:
    account = AccountFactory.create()
    data = admin_form_data(superuser_client.get(change_url(account)))
    superuser_client.post(change_url(account), {**data, "tier": Tier.MAJOR})

    response = superuser_client.get(reverse("admin:accounts_account_history", args=[account.pk]))

    assert response.status_code == 200
    assert superuser.username in response.content.decode()


def test_an_invalid_credit_code_is_refused_and_nothing_is_saved(superuser_client: Client) -> None:
    account = AccountFactory.create()
    data = admin_form_data(superuser_client.get(change_url(account)))

    response = superuser_client.post(change_url(account), {**data, "credit_code": "1234"})

    assert response.status_code == 200
    assert "credit_code" in response.context["adminform"].form.errors
    assert Account.objects.get(pk=account.pk).credit_code == account.credit_code
    assert account.history.count() == 1


def test_empty_profile_sections_start_folded_and_filled_ones_open(
    superuser_client: Client,
) -> None:
    account = AccountFactory.create()
    Shareholder.objects.create(account=account, name="上海电气集团")

    response = superuser_client.get(change_url(account))

    sections = {
        inline.formset.prefix: inline.is_collapsible
        for inline in response.context["inline_admin_formsets"]
    }
    assert sections["shareholders"] is False
    assert sections["officers"] is True
    assert sections["contacts"] is True


def test_the_account_page_picks_related_rows_through_autocomplete(
    superuser_client: Client,
) -> None:
    account = AccountFactory.create()

    response = superuser_client.get(change_url(account))

    form = response.context["adminform"].form
    for name in ("parent", "owner", "team", "industry"):
        assert form.fields[name].widget.widget.__class__.__name__ == "AutocompleteSelect"
