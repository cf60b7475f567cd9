"""My alerts: the user's assigned alerts, ranked by value at risk then tier, with filters,
sorting, pages, an empty state, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.alerts.models import AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("alerts:mine")


def shown(response) -> list[int]:
    return [a.pk for a in response.context["page"].object_list]


def test_the_kam_sees_their_alerts_largest_value_at_risk_first_then_tier(world: World) -> None:
    key = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)
    general = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.GENERAL)
    small = alert(general, value_at_risk=Decimal("500.00"))
    tied_general = alert(general, rule="purchase_gap", value_at_risk=Decimal("9000.00"))
    tied_key = alert(key, value_at_risk=Decimal("9000.00"))
    response = client_for(world.kam).get(URL)
    assert response.status_code == 200
    assert shown(response) == [tied_key.pk, tied_general.pk, small.pk]
    assert "Payment behaviour worsening" in response.content.decode()


def test_other_peoples_alerts_are_not_mine(world: World) -> None:
    alert(world.account, assignee=world.director)
    alert(world.other_account)
    assert shown(client_for(world.kam).get(URL)) == []
    assert shown(client_for(world.other_kam).get(URL)) != []


def test_resolved_dismissed_and_snoozed_alerts_wait_behind_the_state_filter(
    world: World,
) -> None:
    today = timezone.localdate()
    active = alert(world.account, rule="purchase_gap")
    resolved = alert(world.account, state=AlertState.RESOLVED, resolved_at=timezone.now())
    snoozed = alert(world.account, rule="churn_rising", snoozed_until=today + dt.timedelta(days=3))
    client = client_for(world.kam)
    assert shown(client.get(URL)) == [active.pk]
    assert shown(client.get(URL, {"state": "resolved"})) == [resolved.pk]
    assert shown(client.get(URL, {"state": "snoozed"})) == [snoozed.pk]


def test_filters_by_rule_tier_and_account_name(world: World) -> None:
    key = AccountFactory.create(
        team=world.team, owner=world.kam, tier=Tier.KEY, legal_name="上海三菱电梯有限公司"
    )
    gap = alert(world.account, rule="purchase_gap")
    on_key = alert(key)
    client = client_for(world.kam)
    assert shown(client.get(URL, {"rule": "purchase_gap"})) == [gap.pk]
    assert shown(client.get(URL, {"tier": Tier.KEY})) == [on_key.pk]
    assert shown(client.get(URL, {"q": "三菱"})) == [on_key.pk]


def test_sorting_by_raised_puts_the_oldest_first(world: World) -> None:
    now = timezone.now()
    young = alert(world.account, first_seen=now - dt.timedelta(days=1))
    old = alert(world.account, rule="purchase_gap", first_seen=now - dt.timedelta(days=9))
    assert shown(client_for(world.kam).get(URL, {"sort": "raised"})) == [old.pk, young.pk]


def test_an_empty_list_says_so(world: World) -> None:
    response = client_for(world.kam).get(URL)
    assert "No alerts here" in response.content.decode()


def test_the_list_pages(world: World) -> None:
    for i in range(30):
        account = AccountFactory.create(team=world.team, owner=world.kam)
        alert(account, value_at_risk=Decimal(1000 + i))
    client = client_for(world.kam)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_an_htmx_filter_returns_only_the_results(world: World) -> None:
    alert(world.account)
    response = client_for(world.kam).get(URL, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="alert-results"')


def test_readers_see_the_list_without_buttons(world: World) -> None:
    alert(world.account, assignee=world.viewer)
    response = client_for(world.viewer).get(URL)
    assert response.status_code == 200
    assert 'data-testid="acknowledge"' not in response.content.decode()


# Session, user, count, page rows (account and assignee joined).
QUERIES = 4


@pytest.mark.parametrize("n", [1, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries, n: int
) -> None:
    for _ in range(n):
        alert(AccountFactory.create(team=world.team, owner=world.kam))
    client = client_for(world.kam)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
