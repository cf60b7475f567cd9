"""The plans pages page through the shared pager (includes/pagination.html): the range
sentence and the links to the other pages, keeping the filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.plans.models import PlanStatus
from openkam.plans.tests.builders import plan
from openkam.plans.tests.test_risk_pages import _risk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_risk_register_pages_with_the_range_and_links(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 1
    for impact in ("low", "medium"):
        _risk(world.account, world.kam, "high", impact)
    url = reverse("plans:risks", args=[world.account.pk])
    content = client_for(world.kam).get(url, {"status": "open"}).content.decode()
    assert 'data-testid="page-range">1–1 of 2</p>' in content
    assert 'href="?status=open&amp;page=2"' in content


def test_the_overview_pages_with_the_range_and_links(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 1
    plan(world.account, status=PlanStatus.ACTIVE)
    plan(AccountFactory.create(team=world.account.team, owner=world.kam), status=PlanStatus.ACTIVE)
    content = client_for(world.director).get("/plans/").content.decode()
    assert 'data-testid="page-range">1–1 of 2</p>' in content
    assert "page=2" in content
