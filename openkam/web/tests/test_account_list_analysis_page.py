"""The account list shows, filters and sorts by the latest snapshot's ABC class, churn risk and
CLV; accounts never analysed show dashes and sort last."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.portfolio.models import TierProposal
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("accounts:list")
OLD, NEW = dt.date(2026, 3, 31), dt.date(2026, 6, 30)


def names(client: Client, **params: str) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [account.legal_name for account in response.context["page"].object_list]


@pytest.fixture
def executive(world: World) -> Client:
    return client_for(world.executive)


@pytest.fixture
def accounts(world: World) -> dict[str, Account]:
    """Four accounts of the first team: three analysed in two runs, one never analysed."""
    Account.objects.all().delete()
    made = {
        name: AccountFactory.create(legal_name=name, team=world.team, owner=world.kam)
        for name in ("alpha", "beta", "gamma", "delta")
    }
    old, new = add_run(OLD), add_run(NEW)
    # The older run says the opposite of the latest one: only the latest may count.
    figures = {
        "alpha": ("A", "low", "900000", "high"),
        "beta": ("B", "high", "300000", "low"),
        "gamma": ("C", "medium", None, "low"),
    }
    for name, (abc, churn, clv, old_churn) in figures.items():
        add_snapshot(made[name], as_of=OLD, run=old, abc_revenue="C", churn_level=old_churn)
        add_snapshot(
            made[name],
            as_of=NEW,
            run=new,
            abc_revenue=abc,
            churn_level=churn,
            clv=Decimal(clv) if clv else None,
        )
    return made


def test_the_list_shows_abc_churn_and_clv_of_the_latest_snapshot(
    executive: Client, accounts: dict[str, Account]
) -> None:
    html = executive.get(URL, {"sort": "name"}).content.decode()
    alpha = html[html.index(f'data-account="{accounts["alpha"].pk}"') :].split("</tr>")[0]
    assert ">A<" in alpha
    assert ">Low<" in alpha
    assert "¥900,000" in alpha
    delta = html[html.index(f'data-account="{accounts["delta"].pk}"') :].split("</tr>")[0]
    assert delta.count("—") >= 3  # never analysed: no class, no level, no CLV


def test_filter_by_churn_level_uses_the_latest_snapshot(
    executive: Client, accounts: dict[str, Account]
) -> None:
    assert names(executive, churn="high") == ["beta"]
    assert names(executive, churn="low") == ["alpha"]


def test_filter_by_abc_class(executive: Client, accounts: dict[str, Account]) -> None:
    assert names(executive, abc="C") == ["gamma"]
    assert names(executive, abc="A", churn="low") == ["alpha"]


def test_filter_by_open_tier_proposal(
    executive: Client, accounts: dict[str, Account], world: World
) -> None:
    TierProposal.objects.create(
        account=accounts["gamma"], current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
    )
    TierProposal.objects.create(
        account=accounts["beta"],
        current_tier=Tier.GENERAL,
        proposed_tier=Tier.MAJOR,
        status=TierProposal.Status.REJECTED,
    )
    assert names(executive, proposal="open") == ["gamma"]


def test_values_outside_the_whitelist_are_ignored_with_a_warning(
    executive: Client, accounts: dict[str, Account]
) -> None:
    response = executive.get(URL, {"churn": "extreme", "abc": "Z", "proposal": "x", "sort": "p"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Some filters were not valid and have been ignored."
    ]


def test_sort_by_clv_puts_accounts_without_clv_last_both_ways(
    executive: Client, accounts: dict[str, Account]
) -> None:
    assert names(executive, sort="clv") == ["beta", "alpha", "delta", "gamma"]
    assert names(executive, sort="-clv") == ["alpha", "beta", "delta", "gamma"]


def test_sort_by_churn_puts_the_most_urgent_first(
    executive: Client, accounts: dict[str, Account]
) -> None:
    assert names(executive, sort="churn") == ["beta", "gamma", "alpha", "delta"]
    assert names(executive, sort="-churn") == ["alpha", "gamma", "beta", "delta"]


def test_sort_by_abc_class(executive: Client, accounts: dict[str, Account]) -> None:
    assert names(executive, sort="abc") == ["alpha", "beta", "gamma", "delta"]


def test_the_filters_keep_visibility(world: World, accounts: dict[str, Account]) -> None:
    other = AccountFactory.create(legal_name="other", team=world.other_team, owner=world.other_kam)
    add_snapshot(other, as_of=NEW, churn_level="high")
    assert names(client_for(world.kam), churn="high") == ["beta"]
    assert names(client_for(world.other_kam), churn="high") == ["other"]


def test_the_churn_and_abc_filters_are_offered_with_labels(
    executive: Client, accounts: dict[str, Account]
) -> None:
    html = executive.get(URL).content.decode()
    assert '<option value="high">High</option>' in html
    assert '<option value="A">A</option>' in html
    assert '<option value="open">Awaiting a decision</option>' in html
