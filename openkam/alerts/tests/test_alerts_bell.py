"""The header's bell: every page holds its slot (no query of its own); the slot loads the
count of the user's open, awake alerts in one query and links to My alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from openkam.alerts.models import AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("alerts:bell")


def test_the_bell_counts_my_open_awake_alerts(world: World) -> None:
    alert(world.account)
    alert(world.account, rule="purchase_gap")
    alert(world.account, rule="churn_rising", state=AlertState.ACKNOWLEDGED)
    alert(world.account, rule="p_alive_low", snoozed_until=timezone.localdate() + dt.timedelta(1))
    alert(world.other_account)
    response = client_for(world.kam).get(URL)
    assert response.context["count"] == 2
    body = response.content.decode()
    assert 'data-testid="alerts-bell-count">2<' in body
    assert f'href="{reverse("alerts:mine")}"' in body


def test_no_open_alert_shows_no_number(world: World) -> None:
    body = client_for(world.kam).get(URL).content.decode()
    assert "alerts-bell-count" not in body


def test_every_page_holds_the_bell_for_a_signed_in_user(world: World) -> None:
    body = client_for(world.kam).get(reverse("home")).content.decode()
    assert f'hx-get="{URL}"' in body


def test_the_bell_costs_three_queries(world: World, django_assert_num_queries) -> None:
    alert(world.account)
    client = client_for(world.kam)
    with django_assert_num_queries(3):  # session, user, the count
        client.get(URL)


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
