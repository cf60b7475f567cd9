"""The demo's yearly tier review: opened by the analyst on the latest refresh, as marketing
would at the start of the classification, with one proposal of marketing's own beside the
policy's, so the review's pages have something to prepare and decide."""

from __future__ import annotations

import datetime as dt

from openkam.governance.services import proposal_add, review_open
from openkam.portfolio.models import AccountSnapshot, TierReview
from openkam.team.models import User

ANALYST = "analyst"


def demo_tier_review(today: dt.date) -> TierReview | None:
    """The review of `today`'s year, open with its proposals; None without the demo's analyst,
    a refresh, or when that year's review exists (a second `openkam demo` keeps it)."""
    analyst = User.objects.filter(username=ANALYST, is_active=True).first()
    if analyst is None or TierReview.objects.filter(year=today.year).exists():
        return None
    if TierReview.objects.exclude(status=TierReview.Status.CLOSED).exists():
        return None
    review = review_open(user=analyst, year=today.year)
    proposed = review.proposals.values("account_id")
    # The biggest account the policy leaves alone: marketing knows more than the figures.
    unchanged = (
        AccountSnapshot.objects.filter(run_id=review.run_id, tier="major")
        .exclude(account_id__in=proposed)
        .order_by("-revenue_12m")
        .values_list("account_id", flat=True)
        .first()
    )
    if unchanged is not None:
        proposal_add(
            user=analyst,
            review=review,
            account_id=unchanged,
            proposed_tier="key",
            reason="已进入客户的全球采购体系，明年起集团统一采购，销售额预计翻番。",
        )
    return review
