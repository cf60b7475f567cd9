"""The lost-account analysis: cases closed as lost, counted and their revenue at stake summed
by cause and by the quarter of the outcome, over the cases the user sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.retention.models import WinBackCase
from openkam.retention.selectors import lost_analysis
from openkam.retention.tests.builders import case

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(world: World) -> None:
    def closed(account: object, cause: str, day: dt.date, revenue: str, outcome: str = "lost"):
        return case(account, cause=cause, outcome=outcome, outcome_on=day,  # type: ignore[arg-type]
                    revenue_at_stake=Decimal(revenue), opened_on=dt.date(2026, 1, 5))  # fmt: skip

    closed(world.account, "price", dt.date(2026, 2, 10), "1000")
    closed(AccountFactory.create(team=world.team), "price", dt.date(2026, 3, 31), "500.50")
    closed(AccountFactory.create(team=world.team), "competitor", dt.date(2026, 4, 1), "2000")
    closed(AccountFactory.create(team=world.team), "price", dt.date(2026, 4, 2), "9", "retained")
    closed(world.other_account, "quality", dt.date(2026, 5, 1), "7000")


def test_lost_cases_are_summed_by_cause_and_quarter(
    world: World, lost: None, english: None
) -> None:
    analysis = lost_analysis(WinBackCase.objects.all())
    assert analysis.quarters == ["2026Q1", "2026Q2"]
    assert analysis.counts["price"] == [2, 0]
    assert analysis.revenue["price"] == [1500.5, 0.0]
    assert analysis.counts["competitor"] == [0, 1]
    assert analysis.counts["quality"] == [0, 1]
    assert (analysis.total_count, analysis.total_revenue) == (4, Decimal("10500.50"))
    assert [(label, n) for label, n, _revenue in analysis.by_cause] == [
        ("Quality", 1),
        ("Competitor", 1),
        ("Price", 2),
    ]
    assert analysis.by_quarter == [("2026Q1", 2, 1500.5), ("2026Q2", 2, 9000.0)]


def test_a_kam_analyses_the_cases_of_their_teams(world: World, lost: None) -> None:
    response = client_for(world.kam).get(reverse("retention:lost"))
    assert response.status_code == 200
    assert response.context["analysis"].total_count == 3
    assert response.context["analysis"].total_revenue == Decimal("3500.50")
    assert b'data-chart="lost-by-quarter"' in response.content
    assert b"<script>" not in response.content  # the chart's code is a static file (CSP)


def test_no_lost_account_is_an_empty_state(world: World) -> None:
    response = client_for(world.kam).get(reverse("retention:lost"))
    assert b'class="empty' in response.content
    assert b"data-chart" not in response.content


def test_the_lost_page_costs_a_fixed_number_of_queries(
    world: World, lost: None, django_assert_num_queries: object
) -> None:
    client = client_for(world.director)
    with django_assert_num_queries(3):  # type: ignore[operator]
        client.get(reverse("retention:lost"))
