"""The account page shows the account's open and acknowledged alerts (one query), and nothing
when it has none."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.alerts.models import AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page(world: World) -> str:
    url = reverse("accounts:tab", args=[world.account.pk, "cards"])
    return client_for(world.kam).get(url).content.decode()


def test_the_account_page_lists_its_open_alerts(world: World) -> None:
    found = alert(world.account)
    alert(world.account, rule="purchase_gap", state=AlertState.RESOLVED, resolved_at=timezone.now())
    alert(world.other_account)
    body = page(world)
    assert 'data-testid="account-alerts-card"' in body
    assert body.count('data-testid="account-alert"') == 1
    assert reverse("alerts:detail", args=[found.pk]) in body


def test_no_open_alert_no_card(world: World) -> None:
    alert(world.account, state=AlertState.DISMISSED, dismissed_at=timezone.now())
    assert "account-alerts-card" not in page(world)
