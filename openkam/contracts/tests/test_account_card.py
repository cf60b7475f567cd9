"""The account page's contracts card: the account's live contracts and the group contracts
that cover it, soonest renewal first, in one query; "new contract" for its writers only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from openkam.accounts.selectors import can_edit_account, user_writes
from openkam.conftest import World
from openkam.contracts.tests.builders import contract
from openkam.factories import AccountFactory
from openkam.team.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]


def card(account: Any, user: User) -> str:
    """The card as the account page's cards tab renders it: the tab has asked whether the user
    may change the account (can_write) before the card's own query."""
    request = RequestFactory().get("/")
    request.user = user
    can_write = user_writes(user) and can_edit_account(user, account.pk)
    template = Template("{% load contracts_ui %}{% account_contracts_card account %}")
    return template.render(
        Context({"request": request, "account": account, "can_write": can_write})
    )


def test_the_card_lists_own_and_group_contracts_live_ones_only(
    world: World, django_assert_num_queries: Any
) -> None:
    child = AccountFactory.create(parent=world.account, team=world.team, owner=world.kam)
    contract(world.account, number="HT-GROUP", covers_group=True, ends_on=dt.date(2026, 9, 30))
    contract(world.account, number="HT-PARENT-ONLY", ends_on=dt.date(2026, 8, 31))
    contract(child, number="HT-OWN", ends_on=dt.date(2026, 7, 31))
    contract(child, number="HT-OLD", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    with django_assert_num_queries(2):  # whether the KAM may change it, then the card's one
        html = card(child, world.kam)
    assert html.index("HT-OWN") < html.index("HT-GROUP")
    assert "HT-PARENT-ONLY" not in html
    assert "HT-OLD" not in html  # expired
    assert "Group contract" in html
    assert 'data-testid="create-contract"' in html


def test_a_viewer_sees_the_card_without_the_new_contract_button(world: World) -> None:
    contract(world.account, number="HT-OWN")
    html = card(world.account, world.viewer)
    assert "HT-OWN" in html
    assert 'data-testid="create-contract"' not in html
