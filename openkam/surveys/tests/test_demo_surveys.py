"""The demo's two survey waves: half a year apart, promoters, passives and detractors in each,
some answers entered by phone, and the second wave's detractors followed up."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.demo.surveys import write_surveys
from openkam.factories import AccountFactory, ContactFactory
from openkam.interactions.models import Interaction
from openkam.surveys.models import Campaign, Response

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


def test_two_waves_with_every_kind_of_answer(world: World) -> None:
    for index in range(12):
        account = AccountFactory.create(tier="key" if index % 2 else "strategic",
                                        team=world.team, owner=world.kam)  # fmt: skip
        for level in (3, 4, 5):
            ContactFactory.create(account=account, influence_level=level)
        ContactFactory.create(account=account, influence_level=1)  # not asked
    answers = write_surveys(seed=7, today=TODAY)
    waves = list(Campaign.objects.order_by("period_end"))
    assert [w.period_end for w in waves] == [dt.date(2026, 5, 31), dt.date(2026, 11, 30)]
    assert answers == Response.objects.count()
    for wave in waves:
        scores = list(Response.objects.filter(campaign=wave).values_list("nps", flat=True))
        assert 0.5 < len(scores) / 36 < 0.95  # about three in four of 12 x 3 answered
        assert any(s >= 9 for s in scores)
        assert any(7 <= s <= 8 for s in scores)
        assert any(s <= 6 for s in scores)
    assert Response.objects.filter(channel="phone", entered_by=world.kam).exists()
    late = waves[1]
    detractors = Response.objects.filter(campaign=late, nps__lte=6)
    assert detractors.exists()
    assert not detractors.filter(follow_up__isnull=True).exists()
    assert Interaction.objects.filter(next_step_owner=world.kam).count() >= detractors.count()
    assert not Response.objects.filter(campaign=waves[0], follow_up__isnull=False).exists()
