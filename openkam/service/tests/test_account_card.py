"""The account page's service card: the open cases, first due first, the late ones flagged;
"new case" for writers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.service.tests.builders import NOON, case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]


def test_the_card_lists_open_cases_and_flags_the_late(world: World) -> None:
    case(world.account, title="迟到", response_due=NOON - dt.timedelta(hours=1))
    case(world.account, title="已结", status="closed")
    url = reverse("accounts:tab", args=[world.account.pk, "cards"])
    page = client_for(world.kam).get(url).content.decode()
    assert page.count('data-testid="account-case"') == 1
    assert "迟到" in page
    assert "已结" not in page
    assert 'data-testid="account-case-breached"' in page
    assert 'data-testid="create-case"' in page
    assert 'data-testid="create-case"' not in client_for(world.viewer).get(url).content.decode()
