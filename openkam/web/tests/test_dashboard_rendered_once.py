"""The dashboard's body, rendered from kept figures, is kept too (per language) and served to
the next visit of the same scope without reading or rendering the figures again; whatever
changes the figures changes what is served."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.conftest import World, client_for
from openkam.portfolio.models import DashboardCache, PortfolioRun, ScoringCriterion
from openkam.portfolio.scoring import account_score_set
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(world: World) -> PortfolioRun:
    run = add_run(dt.date(2026, 6, 30))
    add_snapshot(world.account, as_of=run.as_of, run=run, churn_level="high")
    return run


def body(world: World, **params: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client_for(world.kam).get(reverse("home"), params)
    assert response.status_code == 200
    html = response.content.decode()
    body = html.split('id="dashboard-body"', 1)[1].split("<script src=", 1)[0]
    return body, [q["sql"] for q in captured.captured_queries]


def portfolio_points(html: str) -> list[list[object]]:
    found = re.search(r'<script id="portfolio-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))["points"]


def test_a_second_visit_serves_the_kept_body_without_reading_the_figures(
    world: World, run: PortfolioRun
) -> None:
    first, _ = body(world)
    second, queries = body(world)
    assert second == first
    assert not any("payload" in sql for sql in queries)


def test_each_language_gets_its_own_body(world: World, run: PortfolioRun) -> None:
    chinese, _ = body(world)
    client = client_for(world.kam)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()
    assert body(world)[0] == chinese  # the Chinese copy is still served to Chinese pages
    assert "Needs attention" in english
    assert "Needs attention" not in chinese
    assert "需要关注" in chinese


def test_a_scorecard_edit_changes_the_body_served(world: World, run: PortfolioRun) -> None:
    before = portfolio_points(body(world)[0])
    assert [(point[2], point[3]) for point in before] == [(world.account.pk, "key_development")]
    for criterion in ScoringCriterion.objects.filter(is_active=True):
        account_score_set(account=world.account, criterion=criterion, score=5, user=world.kam)
    points = portfolio_points(body(world)[0])
    assert [(point[2], point[3]) for point in points] == [(world.account.pk, "key_account")]


def test_counts_read_again_after_a_while_change_the_body_served(
    world: World, run: PortfolioRun
) -> None:
    before, _ = body(world)
    world.account.tier = Tier.STRATEGIC
    world.account.save()
    assert body(world)[0] == before  # kept for a while
    DashboardCache.objects.update(computed_at=timezone.now() - dt.timedelta(hours=1))
    after, _ = body(world)
    assert after != before
    assert DashboardCache.objects.get().computed_at > timezone.now() - dt.timedelta(minutes=1)


def test_filters_are_a_scope_of_their_own(world: World, run: PortfolioRun) -> None:
    everything, _ = body(world)
    none_in_the_south, _ = body(world, region="south")
    assert none_in_the_south != everything
    assert DashboardCache.objects.count() == 2
