"""The demo opens the year's tier review on its latest refresh, as the analyst, with the
policy's proposals and one of marketing's own; a second run keeps the review it finds."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.demo.tier_review import demo_tier_review
from openkam.portfolio.models import TierReview
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def test_the_demo_review_is_open_with_the_policys_proposals_and_marketings(world: World) -> None:
    world.analyst.username = "analyst"
    world.analyst.save()
    run = add_run(TODAY)
    add_snapshot(world.account, as_of=TODAY, run=run, tier_proposed="key")
    world.other_account.tier = "major"
    world.other_account.save()
    add_snapshot(world.other_account, as_of=TODAY, run=run, tier="major", tier_proposed="major")
    review = demo_tier_review(TODAY)
    assert review is not None
    assert (review.year, review.status, review.opened_by) == (2026, "open", world.analyst)
    rows = {(p.account_id, p.proposed_tier, p.is_manual) for p in review.proposals.all()}
    assert rows == {(world.account.pk, "key", False), (world.other_account.pk, "key", True)}
    assert demo_tier_review(TODAY) is None
    assert TierReview.objects.count() == 1
