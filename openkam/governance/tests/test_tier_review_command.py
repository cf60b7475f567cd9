"""`openkam tier-review open|list|show|submit`: the review from the command line, through the
same services and role rule as the pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openkam.conftest import World
from openkam.governance.tests.conftest import YEAR
from openkam.portfolio.models import PortfolioRun, TierReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("tier_review", *args, stdout=out)
    return out.getvalue()


def test_the_analyst_opens_lists_shows_and_submits(world: World, refreshed: PortfolioRun) -> None:
    assert "with 2 proposals" in run("open", "--year", str(YEAR), "--user", world.analyst.username)
    assert str(YEAR) in run("list")
    shown = run("show", "--year", str(YEAR))
    assert str(world.account) in shown
    run("submit", "--year", str(YEAR), "--user", world.analyst.username)
    assert TierReview.objects.get(year=YEAR).status == TierReview.Status.SUBMITTED


def test_a_kam_may_not_open_it_and_nothing_is_saved(world: World, refreshed: PortfolioRun) -> None:
    with pytest.raises(CommandError, match="analysts"):
        run("open", "--year", str(YEAR), "--user", world.kam.username)
    with pytest.raises(CommandError, match="--user"):
        run("open", "--year", str(YEAR))
    with pytest.raises(CommandError, match="no tier review"):
        run("show", "--year", "1999")
    assert not TierReview.objects.exists()
