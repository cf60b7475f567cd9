"""The portfolio dashboard after a refresh: headline figures with their change against the
previous period, Pareto and ABC, tiers and tier movements, the three matrices, the lifecycle
funnel and the needs-attention list, counted over the accounts the user may see and the
filters chosen."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import LifecycleStage, Region, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.portfolio.models import DashboardCache, PortfolioRun, TierProposal
from openkam.team.models import User
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS_OF = dt.date(2026, 6, 30)
PRIOR = dt.date(2026, 3, 31)


def figures(user: User, **params: str) -> dict[str, Any]:
    response = client_for(user).get(reverse("home"), params)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard is not None
    return dashboard.figures


@pytest.fixture
def run(world: World) -> PortfolioRun:
    """Team one: world.account (key, A, high churn, 50,000 overdue, open proposal) and a
    general B account in the south; team two: a strategic account at high churn with an open
    proposal, and a C account, which team one must never count."""
    run = add_run(AS_OF)
    world.account.tier = Tier.KEY
    world.account.lifecycle_stage = LifecycleStage.DEEPENING
    world.account.save()
    second = AccountFactory.create(
        team=world.team, owner=world.kam, tier=Tier.GENERAL, region=Region.SOUTH
    )
    other = AccountFactory.create(team=world.other_team, owner=world.other_kam)
    world.other_account.tier = Tier.STRATEGIC
    world.other_account.save()
    rows = [
        (world.account, "A", "high", "600000", "400000", "50000"),
        (second, "B", "low", "200000", "150000", "0"),
        (world.other_account, "A", "high", "900000", "600000", "0"),
        (other, "C", "high", "100000", "90000", "0"),
        (world.unassigned_account, "C", "medium", "0", "0", "0"),
    ]
    for account, abc, churn, revenue, cost, overdue in rows:
        add_snapshot(
            account,
            as_of=AS_OF,
            run=run,
            tier=account.tier,
            abc_revenue=abc,
            churn_level=churn,
            churn_reasons=["p_alive_low"] if churn == "high" else [],
            revenue_12m=Decimal(revenue),
            revenue_prev_12m=Decimal(revenue) / 2,
            cost_12m=Decimal(cost),
            ar_overdue=Decimal(overdue),
            attractiveness=None,
            attractiveness_coverage=0.0,
        )
    for account in (world.account, world.other_account, other):
        TierProposal.objects.create(
            account=account, run=run, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
        )
    return run


def test_the_headline_sums_the_kams_accounts_only(world: World, run: PortfolioRun) -> None:
    h = figures(world.kam)["headline"]
    assert h["accounts"] == 2
    assert h["revenue"] == pytest.approx(800000)
    assert h["margin"] == pytest.approx(250000)
    assert h["key_share"] == pytest.approx(0.75)
    assert h["ar_overdue"] == pytest.approx(50000)
    assert (h["churn_high"], h["churn_medium"]) == (1, 0)
    # Two accounts, 600,000 and 200,000: the top 20 % (one account) brings 75 %.
    assert h["top_share"] == pytest.approx(0.75)


def test_without_an_earlier_refresh_revenue_compares_with_its_12_months_before(
    world: World, run: PortfolioRun
) -> None:
    h = figures(world.executive)["headline"]
    assert h["revenue"] == pytest.approx(1800000)
    assert h["changes"]["revenue"] == pytest.approx(1.0)
    assert h["changes"]["churn_high"] is None


def test_changes_compare_with_the_refresh_a_period_before(world: World, run: PortfolioRun) -> None:
    before = add_run(PRIOR)
    add_snapshot(
        world.account, as_of=PRIOR, run=before, tier=Tier.MAJOR, revenue_12m=Decimal("400000"),
        cost_12m=Decimal("300000"), churn_level="low", ar_overdue=Decimal("100000"),
    )  # fmt: skip
    h = figures(world.kam)["headline"]
    assert h["revenue_prior"] == pytest.approx(400000)
    assert h["changes"]["revenue"] == pytest.approx(1.0)
    assert h["changes"]["margin"] == pytest.approx(1.5)
    assert h["changes"]["churn_high"] == 1
    assert h["changes"]["ar_overdue"] == pytest.approx(-0.5)
    moves = figures(world.kam)["movements"]
    assert moves == [{"from": "major", "to": "key", "count": 1, "up": True}]


def test_a_recent_refresh_is_not_a_previous_period(world: World, run: PortfolioRun) -> None:
    add_run(AS_OF - dt.timedelta(days=7))
    assert figures(world.kam)["prior_as_of"] is None


def test_pareto_classes_and_proposals_count_what_the_kam_sees(
    world: World, run: PortfolioRun
) -> None:
    found = figures(world.kam)
    assert found["pareto"]["counts"] == {"A": 1, "B": 1, "C": 0}
    assert found["pareto"]["points"][0] == [0.0, 0.0]
    assert found["pareto"]["points"][-1] == [100.0, 100.0]
    assert found["open_proposals"] == 1
    assert {item["tier"]: item["count"] for item in found["tiers"]}["key"] == 1


def test_the_executive_sees_the_whole_portfolio(world: World, run: PortfolioRun) -> None:
    found = figures(world.executive)
    assert found["pareto"]["counts"] == {"A": 2, "B": 1, "C": 2}
    assert found["open_proposals"] == 3
    assert found["headline"]["churn_high"] == 3


def test_filters_narrow_the_figures(world: World, run: PortfolioRun) -> None:
    assert figures(world.executive, team=str(world.other_team.pk))["headline"]["accounts"] == 2
    assert figures(world.executive, region="south")["headline"]["accounts"] == 1
    assert figures(world.executive, tier="strategic")["headline"]["revenue"] == 900000
    assert figures(world.executive, owner=str(world.kam.pk))["headline"]["accounts"] == 2


def test_a_kam_cannot_filter_on_another_team(world: World, run: PortfolioRun) -> None:
    response = client_for(world.kam).get(reverse("home"), {"team": world.other_team.pk})
    assert response.status_code == 200
    assert response.context["dashboard"].figures["headline"]["accounts"] == 2
    assert world.other_team.name not in response.content.decode()


def test_the_matrices_place_the_accounts_and_link_them(world: World, run: PortfolioRun) -> None:
    found = figures(world.kam)
    points = found["matrices"]["sales_profit"]["points"]
    assert len(points) == 2
    assert points[0][2] == world.account.pk  # the largest first
    assert points[0][4] == (world.account.short_name or world.account.legal_name)
    html = client_for(world.kam).get(reverse("home")).content.decode()
    assert 'data-chart="quadrant"' in html
    assert 'data-url="/accounts/0/"' in html


def test_the_portfolio_matrix_shows_an_empty_state_without_scores(
    world: World, run: PortfolioRun
) -> None:
    html = client_for(world.kam).get(reverse("home")).content.decode()
    start = html.index('data-testid="matrix-portfolio"')
    assert "No account is placed yet" in html[start : start + 2000]


def test_the_lifecycle_funnel_counts_accounts_by_stage(world: World, run: PortfolioRun) -> None:
    stages = {item["stage"]: item["count"] for item in figures(world.kam)["lifecycle"]}
    assert list(stages) == LifecycleStage.values
    assert stages["deepening"] == 1
    assert sum(stages.values()) == 2


def test_needs_attention_lists_reasons_most_urgent_first(world: World, run: PortfolioRun) -> None:
    attention = figures(world.kam)["attention"]
    assert [item["id"] for item in attention["items"]] == [world.account.pk]
    reasons = {reason["code"]: reason for reason in attention["items"][0]["reasons"]}
    assert reasons["churn"]["signals"] == ["p_alive_low"]
    assert reasons["overdue_ar"]["amount"] == pytest.approx(50000)
    assert reasons["scorecard"]["coverage"] == 0.0
    html = client_for(world.kam).get(reverse("home")).content.decode()
    assert "High churn risk: probability alive below" in html
    assert 'title="¥50,000">¥50K</span> overdue receivables' in html
    assert "Key account with too little of its scorecard filled" in html


def test_figures_are_kept_per_refresh_and_scope(world: World, run: PortfolioRun) -> None:
    figures(world.kam)
    figures(world.executive)
    figures(world.executive)
    figures(world.executive, tier="key")
    assert DashboardCache.objects.filter(run=run).count() == 3


def test_the_htmx_filter_returns_the_dashboard_body_only(world: World, run: PortfolioRun) -> None:
    response = client_for(world.executive).get(
        reverse("home"), {"tier": "key"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="kpi-revenue"' in html
    labels = json.loads(
        html.split('id="dashboard-labels" type="application/json">')[1].split("<")[0]
    )
    assert labels["quadrants"]["key_account"] == "Key account"


def test_the_latest_run_is_the_one_of_the_latest_date(world: World, run: PortfolioRun) -> None:
    add_run(AS_OF - dt.timedelta(days=90))  # started later, but of an earlier date
    response = client_for(world.executive).get(reverse("home"))
    assert response.context["dashboard"].run == run


def test_failed_or_running_refreshes_are_not_shown(world: World) -> None:
    add_run(AS_OF, status=PortfolioRun.Status.FAILED)
    add_run(AS_OF, status=PortfolioRun.Status.RUNNING)
    response = client_for(world.executive).get(reverse("home"))
    assert response.context["dashboard"] is None


def test_without_a_refresh_the_analysis_shows_an_empty_state(world: World) -> None:
    html = client_for(world.executive).get(reverse("home")).content.decode()
    assert "No portfolio refresh yet" in html
    assert "openkam refresh" in html
    assert "openkam refresh" not in client_for(world.kam).get(reverse("home")).content.decode()


def test_a_scorecard_edit_moves_the_account_in_the_kept_portfolio_matrix(
    world: World, run: PortfolioRun
) -> None:
    from openkam.portfolio.models import ScoringCriterion
    from openkam.portfolio.scoring import account_score_set

    assert figures(world.kam)["matrices"]["portfolio"]["points"] == []
    for criterion in ScoringCriterion.objects.filter(is_active=True):
        account_score_set(account=world.account, criterion=criterion, score=5, user=world.kam)
    points = figures(world.kam)["matrices"]["portfolio"]["points"]
    assert [(point[2], point[3]) for point in points] == [(world.account.pk, "key_account")]
    assert not DashboardCache.objects.get(run=run).portfolio_stale


def test_kept_counts_of_tiers_and_stages_follow_the_accounts_after_a_while(
    world: World, run: PortfolioRun
) -> None:
    figures(world.kam)
    world.account.tier = Tier.STRATEGIC
    world.account.save()
    tiers = {item["tier"]: item["count"] for item in figures(world.kam)["tiers"]}
    assert tiers["strategic"] == 0  # kept: still the figure of a moment ago
    DashboardCache.objects.update(computed_at=timezone.now() - dt.timedelta(hours=1))
    tiers = {item["tier"]: item["count"] for item in figures(world.kam)["tiers"]}
    assert tiers["strategic"] == 1


def test_figures_of_earlier_refreshes_are_dropped(world: World, run: PortfolioRun) -> None:
    earlier = add_run(AS_OF - dt.timedelta(days=40))
    DashboardCache.objects.create(run=earlier, scope="old", payload={})
    figures(world.kam)
    assert list(DashboardCache.objects.values_list("run", flat=True)) == [run.pk]


def test_an_account_overdue_for_a_visit_needs_attention(world: World, run: PortfolioRun) -> None:
    from openkam.accounts.models import Account

    # Recorded long ago and never visited: its return visit has been due since then.
    Account.objects.filter(pk=world.account.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400)
    )
    attention = figures(world.kam)["attention"]
    assert attention["counts"]["contact_overdue"] == 1
    reasons = [reason["code"] for reason in attention["items"][0]["reasons"]]
    assert reasons == ["churn", "overdue_ar", "contact_overdue", "scorecard"]
    html = client_for(world.kam).get(reverse("home")).content.decode()
    assert "Return visit overdue since" in html


def test_a_lost_account_is_not_owed_a_visit(world: World, run: PortfolioRun) -> None:
    from openkam.accounts.models import Account

    Account.objects.filter(pk=world.account.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400),
        lifecycle_stage=LifecycleStage.LOST,
    )
    attention = figures(world.kam)["attention"]
    assert attention["counts"]["contact_overdue"] == 0
    reasons = [reason["code"] for reason in attention["items"][0]["reasons"]]
    assert "contact_overdue" not in reasons
    assert reasons[:2] == ["churn", "overdue_ar"]  # still flagged for what it owes
