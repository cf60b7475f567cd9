"""A proposal's evidence and the review's list, read the cheap way (one read of the latest
snapshot, the criteria with the account's scores in one query, the review's proposals
counted once by status and tier, the rows written by a tag) show the figures the account
page and the earlier reads gave."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.governance import selectors
from openkam.portfolio.models import ScoringCriterion, TierProposal, TierReview
from openkam.portfolio.scoring import account_score_set, account_scorecard
from openkam.portfolio.selectors import account_analysis

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SCORES = {
    "revenue_potential": 5, "profit_potential": 4, "market_leader": 4, "strategic_buying": 5,
    "solvency": 3, "pays_promptly": 2, "satisfaction": 4, "product_fit": 5,
}  # fmt: skip


def _scored(world: World) -> None:
    for key, score in SCORES.items():
        criterion = ScoringCriterion.objects.get(key=key)
        account_score_set(
            account=world.account, criterion=criterion, score=score, user=world.analyst
        )


def test_the_evidence_is_what_the_account_page_computes(world: World, review: TierReview) -> None:
    _scored(world)
    proposal = review.proposals.get(account=world.account)
    evidence = selectors.proposal_evidence(selectors.proposal_shown(world.executive, proposal.pk))
    page = account_analysis(world.account)
    scorecard = account_scorecard(world.account)
    assert evidence.analysis is not None
    assert page is not None
    assert (
        evidence.analysis.year_labels
        == page.year_labels
        == ("2024", "2025", "2026", "2027", "2028")
    )
    assert evidence.analysis.analysis_rows == page.analysis_rows
    assert evidence.analysis.clv_cost_to_serve == page.clv_cost_to_serve
    assert evidence.analysis.forecast == page.forecast
    assert evidence.scorecard.position == scorecard.position
    assert evidence.scorecard.snapshot_position == scorecard.snapshot_position
    rows = [(r.criterion.key, r.effective) for r in evidence.scorecard.attractiveness]
    assert rows == [(r.criterion.key, r.effective) for r in scorecard.attractiveness]
    strength = [(r.criterion.key, r.effective) for r in evidence.scorecard.strength]
    assert strength == [(r.criterion.key, r.effective) for r in scorecard.strength]
    assert evidence.scorecard.position.attractiveness is not None
    assert evidence.scorecard.position.quadrant != ""
    # Scored 5 on strategic (not transactional) buying: strategic. The snapshot builder's
    # share of wallet 35% of 1.2M: wallet 3,428,571.43, half of it less the 1.2M sold.
    assert evidence.buying == "strategic"
    assert evidence.growth.headroom is not None
    assert abs(float(evidence.growth.headroom) - 514_285.71) < 0.01


def test_the_evidence_of_an_account_never_analysed_is_empty(
    world: World, review: TierReview
) -> None:
    account = AccountFactory.create(legal_name="未分析客户")
    added = TierProposal.objects.create(
        review=review, account=account, current_tier="general", proposed_tier="major", reason="x"
    )
    evidence = selectors.proposal_evidence(selectors.proposal_shown(world.analyst, added.pk))
    assert evidence.analysis is None
    assert (evidence.growth.headroom, evidence.growth.years, evidence.buying) == (None, None, "")
    assert evidence.scorecard.position == account_scorecard(account).position
    html = client_for(world.analyst).get(added.get_absolute_url()).content.decode()
    assert "The account has no refresh figures: judge it on the justification." in html


def _more_proposals(review: TierReview, world: World) -> None:
    decided = {"decided_by": world.executive, "decided_at": timezone.now()}
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("proposed", "major", {}), ("proposed", "key", {}),
        ("approved", "major", decided), ("rejected", "general", decided),
        ("withdrawn", "major", {}),
    ]  # fmt: skip
    for n, (status, tier, extra) in enumerate(rows):
        TierProposal.objects.create(
            review=review, account=AccountFactory.create(legal_name=f"追加客户{n}"),
            current_tier="general", policy_tier="general", proposed_tier=tier, status=status,
            reason="追加", **extra,
        )  # fmt: skip


def test_the_review_counts_its_proposals_once_by_status_and_tier(
    world: World, review: TierReview
) -> None:
    _more_proposals(review, world)
    # The review's own two (the KAM's account to key, the other team's to major), proposed.
    tally = selectors.Tally(selectors.proposal_tally(review))
    assert tally.by_status() == {
        "proposed": 4, "approved": 1, "rejected": 1, "withdrawn": 1, "superseded": 0,
    }  # fmt: skip
    assert selectors.status_counts(review) == tally.by_status()
    assert tally.matching() == 7
    assert tally.matching(status="proposed") == 4
    assert tally.matching(tier="major") == 4
    assert tally.matching(status="proposed", tier="key") == 2
    assert tally.matching(status="approved", tier="key") == 0
    client = client_for(world.analyst)
    for query, expected in [({}, 7), ({"status": "proposed", "tier": "major"}, 2)]:
        page = client.get(review.get_absolute_url(), query).context["page"]
        assert page.paginator.count == expected == len(page.object_list)


def test_the_review_rows_show_each_proposal_its_status_and_decision(
    world: World, review: TierReview
) -> None:
    account = AccountFactory.create(
        legal_name="<b>标签</b>客户", short_name="<b>标签</b>客户", owner=world.kam
    )
    comment = "不同意：" + "理由很长" * 30
    proposal = TierProposal.objects.create(
        review=review, account=account, current_tier="general", policy_tier="general",
        proposed_tier="key", status="rejected", reason="市场部判断", decided_by=world.executive,
        decided_at=dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC), decision_comment=comment,
    )  # fmt: skip
    html = client_for(world.analyst).get(review.get_absolute_url(), {"status": "rejected"})
    text = html.content.decode()
    assert f'<a href="{reverse("governance:proposal", args=[proposal.pk])}"' in text
    assert "&lt;b&gt;标签&lt;/b&gt;客户" in text
    assert "<b>标签</b>" not in text
    assert f'<div class="small text-secondary">{world.kam}</div>' in text
    assert '<span class="badge bg-blue text-white">' in text  # the key tier's colour
    assert 'title="Not what the tier policy gives">by marketing</span>' in text
    assert '<span class="badge bg-red-lt" data-testid="status-rejected">Rejected</span>' in text
    # Decided on 3 July in Shanghai (23:30 UTC on the 2nd); the comment cut at 80 characters.
    assert f"{world.executive} · {date_format(dt.date(2026, 7, 3), 'SHORT_DATE_FORMAT')}" in text
    assert comment[:79] + "…" in text
    assert 'data-testid="proposal-row"' in text
