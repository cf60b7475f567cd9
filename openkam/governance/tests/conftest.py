"""A refresh whose policy moves two accounts (the KAM's to key, the other team's to major)
and leaves the third alone; `review` is the year's review opened on it by the analyst."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.governance.services import review_open
from openkam.portfolio.models import PortfolioRun, TierReview
from openkam.web.tests.builders import add_run, add_snapshot
from openkam.web.tests.conftest import artifacts, browser, page

__all__ = ["artifacts", "browser", "page"]  # the browser fixtures of the web tests

AS_OF = dt.date(2026, 6, 30)
YEAR = 2026


@pytest.fixture
def refreshed(world: World) -> PortfolioRun:
    run = add_run(AS_OF)
    add_snapshot(world.account, as_of=AS_OF, run=run, tier_proposed="key")
    add_snapshot(world.other_account, as_of=AS_OF, run=run, tier_proposed="major")
    add_snapshot(world.unassigned_account, as_of=AS_OF, run=run)
    return run


@pytest.fixture
def review(world: World, refreshed: PortfolioRun) -> TierReview:
    return review_open(user=world.analyst, year=YEAR)
