"""Scoring an account inline: who may, what is saved (with who and when, history kept), and
how the account's attractiveness, strength and portfolio-matrix position move at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.portfolio.models import (
    AccountScore,
    AccountSnapshot,
    DashboardCache,
    PortfolioRun,
    ScoringCriterion,
)
from openkam.portfolio.scoring import account_score_set, account_scorecard
from openkam.web.tests.builders import add_snapshot

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def criterion(key: str) -> ScoringCriterion:
    return ScoringCriterion.objects.get(key=key)


def url(world: World, key: str) -> str:
    return reverse("score_set", args=[world.account.pk, criterion(key).pk])


def analysed(world: World) -> AccountSnapshot:
    run = PortfolioRun.objects.create(
        as_of=AS_OF,
        status=PortfolioRun.Status.DONE,
        parameters={"portfolio_strength_cut": "50", "portfolio_attractiveness_cut": "50"},
    )
    return add_snapshot(
        world.account, as_of=AS_OF, run=run, attractiveness=None, relative_strength=40.0
    )


def test_kam_scores_a_criterion_of_their_account_inline(world: World) -> None:
    response = client_for(world.kam).post(url(world, "revenue_potential"), {"score": "4"})
    assert response.status_code == 200
    assert b'data-testid="scorecard"' in response.content
    assert b"<html" not in response.content  # a partial for htmx, not a page
    saved = AccountScore.objects.get(account=world.account)
    assert (saved.criterion.key, saved.score, saved.scored_by) == (
        "revenue_potential",
        4,
        world.kam,
    )


def test_a_changed_score_keeps_the_earlier_value_in_the_history(world: World) -> None:
    client = client_for(world.kam)
    client.post(url(world, "solvency"), {"score": "2"})
    client.post(url(world, "solvency"), {"score": "5"})
    score = AccountScore.objects.get(account=world.account)
    assert score.score == 5
    assert [h.score for h in score.history.order_by("history_date")] == [2, 5]
    assert score.history.latest().history_user == world.kam


def test_an_empty_score_clears_it(world: World) -> None:
    client = client_for(world.kam)
    client.post(url(world, "solvency"), {"score": "2"})
    response = client.post(url(world, "solvency"), {"score": ""})
    assert response.status_code == 200
    assert not AccountScore.objects.exists()


@pytest.mark.parametrize("value", ["0", "6", "three"])
def test_a_score_outside_1_to_5_is_refused_and_nothing_saved(world: World, value: str) -> None:
    response = client_for(world.kam).post(url(world, "solvency"), {"score": value})
    assert response.status_code == 422
    assert b'data-testid="scorecard-error"' in response.content
    assert not AccountScore.objects.exists()


def test_the_service_refuses_a_score_out_of_range(world: World) -> None:
    with pytest.raises(ValidationError):
        account_score_set(
            account=world.account, criterion=criterion("solvency"), score=7, user=world.kam
        )
    assert not AccountScore.objects.exists()


def test_kam_of_another_team_gets_404_and_nothing_is_saved(world: World) -> None:
    # An account the user does not see does not exist for them, for a write as for a read.
    response = client_for(world.other_kam).post(url(world, "solvency"), {"score": "3"})
    assert response.status_code == 404
    assert not AccountScore.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "analyst"])
def test_read_only_roles_get_403_and_nothing_is_saved(world: World, persona: str) -> None:
    response = client_for(getattr(world, persona)).post(url(world, "solvency"), {"score": "3"})
    assert response.status_code == 403
    assert not AccountScore.objects.exists()


def test_a_get_cannot_write_a_score(world: World) -> None:
    response = client_for(world.kam).get(url(world, "solvency"), {"score": "3"})
    assert response.status_code == 405
    assert not AccountScore.objects.exists()


def test_the_viewer_sees_the_scorecard_without_buttons(world: World) -> None:
    response = client_for(world.viewer).get(reverse("scorecard", args=[world.account.pk]))
    assert response.status_code == 200
    assert b'data-testid="scorecard"' in response.content
    assert b"hx-post" not in response.content


def test_another_teams_kam_cannot_read_the_scorecard(world: World) -> None:
    response = client_for(world.other_kam).get(reverse("scorecard", args=[world.account.pk]))
    assert response.status_code == 404


def test_scoring_moves_attractiveness_and_the_stored_snapshot_at_once(world: World) -> None:
    snapshot = analysed(world)
    DashboardCache.objects.create(run=snapshot.run, scope="all", payload={"stale": True})
    # Revenue and profit potential carry 6 of the 28.5 attractiveness weight: too little.
    for key in ("revenue_potential", "profit_potential"):
        account_score_set(account=world.account, criterion=criterion(key), score=5, user=world.kam)
    card = account_scorecard(world.account)
    assert card.position.attractiveness is None
    # Adding market leader, solvency and pays promptly (12 of 28.5, 42%) rates it: all 5 -> 100.
    for key in ("market_leader", "solvency", "pays_promptly"):
        account_score_set(account=world.account, criterion=criterion(key), score=5, user=world.kam)
    card = account_scorecard(world.account)
    assert card.position.attractiveness == pytest.approx(100.0)
    assert card.position.attractiveness_coverage == pytest.approx(12 / 28.5)
    snapshot.refresh_from_db()
    assert snapshot.attractiveness == pytest.approx(100.0)
    assert snapshot.relative_strength == card.position.strength
    assert DashboardCache.objects.get().portfolio_stale


def test_one_low_score_lowers_attractiveness_by_its_weighted_share(world: World) -> None:
    analysed(world)
    for key in ("revenue_potential", "profit_potential", "market_leader", "solvency"):
        account_score_set(account=world.account, criterion=criterion(key), score=5, user=world.kam)
    # Weights 3, 3, 2, 2: a 1 on solvency (weight 2 of 10) takes 20 points off 100.
    account_score_set(
        account=world.account, criterion=criterion("solvency"), score=1, user=world.kam
    )
    assert account_scorecard(world.account).position.attractiveness == pytest.approx(80.0)


def test_strength_uses_the_given_score_over_the_measured_fact(world: World) -> None:
    analysed(world)
    before = account_scorecard(world.account)
    row = next(r for r in before.strength if r.criterion.key == "relationship_stage")
    assert row.measured is not None
    assert row.score is None
    account_score_set(
        account=world.account, criterion=criterion("relationship_stage"), score=5, user=world.kam
    )
    after = account_scorecard(world.account)
    row = next(r for r in after.strength if r.criterion.key == "relationship_stage")
    assert row.effective == 5
    assert after.position.strength is not None
    assert before.position.strength is not None
    assert after.position.strength > before.position.strength


def test_high_scores_on_both_cards_place_the_account_as_a_key_account(world: World) -> None:
    analysed(world)
    for item in ScoringCriterion.objects.filter(is_active=True):
        account_score_set(account=world.account, criterion=item, score=5, user=world.kam)
    card = account_scorecard(world.account)
    assert card.position.quadrant == "key_account"
    assert AccountSnapshot.objects.get().portfolio_quadrant == "key_account"
    assert card.scored == card.total == ScoringCriterion.objects.filter(is_active=True).count()


# Session, user, the account among those visible (account_for), criteria, scores with who gave
# them, the latest snapshot with its run, and (for a role that writes) whether the user may
# change this account: a seat on its team lets a KAM see it, not score it.
SCORECARD_QUERIES = 7


def test_the_scorecard_runs_the_same_queries_with_no_and_with_every_score(world: World) -> None:
    analysed(world)
    client = client_for(world.kam)
    url_ = reverse("scorecard", args=[world.account.pk])
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url_).status_code == 200
    for item in ScoringCriterion.objects.filter(is_active=True):
        account_score_set(account=world.account, criterion=item, score=3, user=world.kam)
    with CaptureQueriesContext(connection) as full:
        assert client.get(url_).status_code == 200
    assert len(empty.captured_queries) == len(full.captured_queries) == SCORECARD_QUERIES


def test_the_account_page_loads_the_scorecard_tab_on_demand(world: World) -> None:
    html = client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk]))
    assert f'hx-get="/accounts/{world.account.pk}/scorecard/"' in html.content.decode()
    partial = client_for(world.kam).get(reverse("scorecard", args=[world.account.pk]))
    assert b'id="scorecard-count"' in partial.content
    assert b'hx-swap-oob="true"' in partial.content


def test_a_seat_holder_sees_the_scores_without_the_buttons_to_change_them(world: World) -> None:
    """A KAM seated on another team's account reads its scorecard; score_set would refuse
    them (403), so the page offers them no score buttons. The account's KAM gets them."""
    from openkam.accounts.models import AccountTeamMember, AccountTeamRole

    AccountTeamMember.objects.create(
        account=world.account, user=world.other_kam, role=AccountTeamRole.OTHER
    )
    url = reverse("scorecard", args=[world.account.pk])
    kam, seated = (client_for(user).get(url) for user in (world.kam, world.other_kam))
    assert kam.status_code == seated.status_code == 200
    button = 'hx-post="' + reverse("score_set", args=[world.account.pk, 0])[:-2]
    assert button in kam.content.decode()
    assert button not in seated.content.decode()
