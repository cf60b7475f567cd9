"""The KAM is told in-app of the decisions on their accounts' tiers: "my week" shows the
review's approved and rejected proposals of the last 30 days on the accounts they own, and
nothing of other people's accounts or of undecided proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.governance.services import proposal_decide, review_submit
from openkam.portfolio.models import TierProposal, TierReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _submitted(world: World, review: TierReview) -> TierReview:
    review_submit(user=world.analyst, review=review)
    return review


def test_the_kam_sees_the_approval_of_their_accounts_tier(world: World, review: TierReview) -> None:
    _submitted(world, review)
    client = client_for(world.kam)
    url = reverse("interactions:my_week")
    before = client.get(url).content.decode()
    assert 'data-testid="week-tier-decisions"' in before
    assert 'data-testid="week-tier-decision"' not in before  # undecided: nothing to tell
    mine = review.proposals.get(account=world.account)
    proposal_decide(user=world.executive, proposal=mine, approve=True)
    content = client.get(url).content.decode()
    assert content.count('data-testid="week-tier-decision"') == 1
    assert str(world.account) in content
    assert "approved: General → Key" in content


def test_a_rejection_shows_its_comment_and_other_accounts_stay_out(
    world: World, review: TierReview
) -> None:
    _submitted(world, review)
    mine = review.proposals.get(account=world.account)
    theirs = review.proposals.get(account=world.other_account)
    proposal_decide(user=world.executive, proposal=mine, approve=False, comment="规模尚未达到")
    proposal_decide(user=world.executive, proposal=theirs, approve=True)
    content = client_for(world.kam).get(reverse("interactions:my_week")).content.decode()
    assert content.count('data-testid="week-tier-decision"') == 1
    assert "not moved to Key: 规模尚未达到" in content
    assert str(world.other_account) not in content


def test_decisions_older_than_thirty_days_are_no_longer_shown(
    world: World, review: TierReview
) -> None:
    _submitted(world, review)
    mine = review.proposals.get(account=world.account)
    proposal_decide(user=world.executive, proposal=mine, approve=True)
    old = timezone.now() - dt.timedelta(days=31)
    TierProposal.objects.filter(pk=mine.pk).update(decided_at=old)
    content = client_for(world.kam).get(reverse("interactions:my_week")).content.decode()
    assert 'data-testid="week-tier-decision"' not in content
