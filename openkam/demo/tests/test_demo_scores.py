"""The demo's KAMs have filled in scorecards: key accounts fully, general accounts rarely, so a
refresh puts accounts into every quadrant of the portfolio matrix and the purchase model fits."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from openkam.accounts.models import Account
from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.portfolio.models import AccountScore, AccountSnapshot, ScoringCriterion
from openkam.portfolio.services import portfolio_refresh

pytestmark = pytest.mark.django_db


def test_key_and_strategic_accounts_are_scored_on_most_attractiveness_criteria(
    demo: DemoReport,
) -> None:
    criteria = ScoringCriterion.objects.filter(scorecard="attractiveness", is_active=True).count()
    key = Account.objects.filter(tier__in=["strategic", "key"]).annotate(
        scored=Count("scores", filter=Q(scores__criterion__scorecard="attractiveness"))
    )
    assert key.exists()
    assert all(account.scored >= 0.6 * criteria for account in key)


def test_general_accounts_are_mostly_unscored(demo: DemoReport) -> None:
    general = Account.objects.filter(tier="general")
    scored = general.filter(scores__isnull=False).distinct().count()
    assert 0 < scored < 0.3 * general.count()


def test_measured_strength_criteria_are_left_to_the_refresh(demo: DemoReport) -> None:
    measured = {"share_of_wallet", "relationship_stage", "years_as_supplier"}
    assert not AccountScore.objects.filter(criterion__key__in=measured).exists()
    assert AccountScore.objects.filter(criterion__key="satisfaction").exists()


def test_scores_are_one_to_five_and_given_by_the_owner(demo: DemoReport) -> None:
    scores = AccountScore.objects.select_related("account")
    assert {s.score for s in scores} <= {1, 2, 3, 4, 5}
    assert len({s.score for s in scores}) == 5
    owned = [s for s in scores if s.account.owner_id is not None]
    assert owned
    assert all(s.scored_by_id == s.account.owner_id for s in owned)


def test_a_refresh_of_the_demo_fills_the_portfolio_matrix_and_fits_bgnbd(
    demo: DemoReport,
) -> None:
    run = portfolio_refresh(as_of=TODAY)
    quadrants = set(
        AccountSnapshot.objects.filter(run=run)
        .exclude(portfolio_quadrant="")
        .values_list("portfolio_quadrant", flat=True)
    )
    assert quadrants == {"key_account", "key_development", "maintenance", "opportunistic"}
    assert run.models_fitted["purchase_model"] == "bgnbd"
    assert AccountSnapshot.objects.filter(run=run, clv__gt=0).count() > 200
