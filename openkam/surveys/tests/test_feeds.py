"""Satisfaction feeds the refresh (through portfolio.hooks, registered by this app): the loyalty
preference axis, the strength scorecard's "satisfaction" criterion and the churn signal
`satisfaction_drop`. A detractor's answer after a happy one moves all three."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from openkam.analytics.churn import SATISFACTION_DROP
from openkam.conftest import World
from openkam.portfolio import hooks
from openkam.portfolio.models import AccountSnapshot, ScoringCriterion
from openkam.portfolio.services import portfolio_refresh
from openkam.surveys.feeds import satisfaction_figures
from openkam.surveys.tests.builders import answer, campaign, contact

pytestmark = pytest.mark.django_db
SPRING, AUTUMN = dt.date(2026, 4, 30), dt.date(2026, 10, 31)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)


def snapshot(world: World, day: dt.date) -> AccountSnapshot:
    return AccountSnapshot.objects.get(account=world.account, as_of=day)


def test_the_reader_is_registered_and_aligned_with_the_ids(world: World) -> None:
    assert hooks.satisfaction(np.array([world.account.pk]), SPRING) is not None
    answer(campaign("春", end=dt.date(2026, 3, 31)), contact(world.account), 9, csat=4,
           at=at(dt.date(2026, 3, 10)))  # fmt: skip
    ids = np.array(sorted([world.account.pk, world.other_account.pk]))
    felt = satisfaction_figures(ids, SPRING)
    mine = int(np.searchsorted(ids, world.account.pk))
    assert felt.csat[mine] == pytest.approx(4.0)
    assert felt.level[mine] == pytest.approx(0.75)  # (4 - 1) / 4
    assert np.isnan(felt.change[mine])  # no survey before
    assert np.isnan(felt.csat[1 - mine])  # the other account was not asked
    assert np.isnan(satisfaction_figures(ids, dt.date(2026, 3, 1)).csat[mine])  # not yet


def test_a_detractor_after_a_happy_wave_moves_loyalty_strength_and_churn(world: World) -> None:
    ScoringCriterion.objects.get_or_create(
        scorecard="strength", key="satisfaction",
        defaults={"name": "客户满意度", "name_en": "Customer satisfaction",
                  "weight": Decimal("2")},
    )  # fmt: skip
    boss, buyer = contact(world.account), contact(world.account)
    spring = campaign("春", end=dt.date(2026, 3, 31))
    answer(spring, boss, 10, csat=5, at=at(dt.date(2026, 3, 10)))
    answer(spring, buyer, 9, csat=5, at=at(dt.date(2026, 3, 11)))
    portfolio_refresh(as_of=SPRING)
    happy = snapshot(world, SPRING)
    assert happy.loyalty_preference == pytest.approx(1.0)  # CSAT 5 -> 1.0, no wallet known
    assert SATISFACTION_DROP not in happy.churn_reasons
    autumn = campaign("秋", end=dt.date(2026, 9, 30))
    answer(autumn, boss, 2, csat=2, at=at(dt.date(2026, 9, 10)))  # the detractor
    answer(autumn, buyer, 8, csat=3, at=at(dt.date(2026, 9, 12)))
    portfolio_refresh(as_of=AUTUMN)
    unhappy = snapshot(world, AUTUMN)
    # Mean CSAT 2.5: (2.5 - 1) / 4 = 0.375 on the preference axis; down 2.5 points: the signal.
    assert unhappy.loyalty_preference == pytest.approx(0.375)
    assert SATISFACTION_DROP in unhappy.churn_reasons
    assert unhappy.relative_strength is not None
    assert happy.relative_strength is not None
    assert unhappy.relative_strength < happy.relative_strength
