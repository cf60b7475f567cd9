"""The performance pages: the director sets and decomposes the team's target, the executive
approves, the KAM sees their attainment; query counts pinned; another team's page is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountMonthFactory
from openkam.performance.models import Level, Target, TargetStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_director_sets_decomposes_and_submits_then_the_executive_approves(
    world: World,
) -> None:
    director = client_for(world.director)
    page = reverse("performance:team", args=[world.team.pk])
    response = director.post(
        reverse("performance:team_target", args=[world.team.pk]),
        {"year": "2026", "amount": "1,200,000"},
    )
    assert response.status_code == 302
    target = Target.objects.get(level=Level.TEAM, team=world.team)
    assert target.amount == Decimal("1200000")

    director.post(
        reverse("performance:decompose", args=[target.pk]), {f"kam_{world.kam.pk}": "1000000"}
    )
    shown = director.get(page, {"year": 2026}).content.decode()
    assert 'data-testid="target-gap"' in shown
    child = Target.objects.get(level=Level.KAM, kam=world.kam)
    assert child.amount == Decimal("1000000")

    director.post(reverse("performance:submit", args=[target.pk]))
    refused = director.post(reverse("performance:approve", args=[target.pk]))
    assert refused.status_code == 403
    client_for(world.executive).post(reverse("performance:approve", args=[target.pk]))
    assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.APPROVED}


def test_a_kam_may_not_set_the_teams_target(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("performance:team_target", args=[world.team.pk]), {"year": "2026", "amount": "1"}
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_another_teams_page_is_not_found(world: World) -> None:
    response = client_for(world.director).get(
        reverse("performance:team", args=[world.other_team.pk])
    )
    assert response.status_code == 404


def test_the_kam_sees_their_attainment(world: World, django_assert_num_queries: Any) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 7, 1), revenue=300)
    Target.objects.create(
        year=2026,
        level=Level.KAM,
        metric="sales",
        team=world.team,
        kam=world.kam,
        amount=Decimal(1200),
        months=["100.00"] * 12,
    )
    client = client_for(world.kam)
    client.get(reverse("performance:mine"), {"year": 2026})
    with django_assert_num_queries(7):
        response = client.get(reverse("performance:mine"), {"year": 2026})
    html = response.content.decode()
    assert "25.0%" in html  # 300 of 1,200
    assert 'data-chart="target-vs-actual"' in html
    assert "<script>" not in html.replace('<script id="target-chart-data"', "")


def test_the_team_page_shows_the_ten_kpis(world: World, django_assert_num_queries: Any) -> None:
    client = client_for(world.director)
    url = reverse("performance:team", args=[world.team.pk])
    client.get(url, {"year": 2026})
    # The ten KPIs 11, the four metrics' attainment 4, the KAMs' actuals 4, the page 3, and
    # the workload section 4: whatever the number of accounts and KAMs.
    with django_assert_num_queries(26):
        response = client.get(url, {"year": "2026", "period": "2026-Q3"})
    html = response.content.decode()
    assert html.count('data-testid="kpi-row"') == 10
    assert "no data yet" in html
