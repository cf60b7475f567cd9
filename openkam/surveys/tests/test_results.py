"""The results page's figures per account, tier, KAM and campaign, pinned to hand-computed
values; another team's answers never count; the account card shows NPS beside the role-weighted
NPS and hides from no one who sees the account."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World, client_for
from openkam.surveys.selectors import Filters, account_satisfaction, results, trend
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db


def _wave(world: World) -> None:
    """Spring: economic buyer (5 x 2 = 10) answers 3, user buyer (2 x 1 = 2) answers 10,
    technical buyer (4 x 1.5 = 6) answers 9, one contact asked but silent. Another team's
    account: a promoter the first team must not count."""
    spring = campaign("春季", end=dt.date(2026, 3, 31))
    ceo = contact(world.account, influence_level=5, influence_type="economic")
    user = contact(world.account, influence_level=2, influence_type="user")
    engineer = contact(world.account, influence_level=4, influence_type="technical")
    answer(spring, ceo, 3, csat=2)
    answer(spring, user, 10, csat=5, csat_sales=None)
    answer(spring, engineer, 9, csat=4)
    recipient(spring, contact(world.account))
    answer(spring, contact(world.other_account), 10)


def test_per_account_plain_and_role_weighted_nps(world: World) -> None:
    _wave(world)
    (mine,) = results(world.kam, by="account")
    assert mine.key == world.account.pk
    assert (mine.invited, mine.answered) == (4, 3)
    assert mine.response_rate == pytest.approx(0.75)
    assert mine.nps == pytest.approx(100 * (2 - 1) / 3)  # +33.3
    assert mine.weighted_nps == pytest.approx(100 * (2 + 6 - 10) / 18)  # -11.1
    assert mine.csat_means == {
        "product": pytest.approx(11 / 3), "service": pytest.approx(11 / 3),
        "sales": pytest.approx(3.0),  # (2 + 4) / 2: the user buyer skipped it
    }  # fmt: skip
    everyone = {row.key: row for row in results(world.executive, by="account")}
    assert everyone[world.other_account.pk].nps == pytest.approx(100.0)


def test_per_tier_kam_and_campaign_with_a_trend(world: World) -> None:
    _wave(world)
    autumn = campaign("秋季", end=dt.date(2026, 9, 30))
    answer(autumn, contact(world.account), 6)
    answer(autumn, contact(world.account), 7)
    (tier,) = results(world.kam, by="tier")
    assert (tier.key, tier.answered, tier.invited) == (world.account.tier, 5, 6)
    (kam,) = results(world.kam, by="kam")
    assert (kam.key, kam.label) == (world.kam.pk, str(world.kam))
    series = trend(world.kam)
    assert [row.label for row in series] == ["春季", "秋季"]
    assert [round(row.nps or 0, 1) for row in series] == [33.3, -50.0]
    only = results(world.kam, by="account", filters=Filters(campaign_id=autumn.pk))
    assert [row.answered for row in only] == [2]
    assert results(world.kam, by="account", filters=Filters(tier="strategic")) == []


def test_the_account_card_shows_both_figures_and_the_latest_answers(world: World) -> None:
    _wave(world)
    figures = account_satisfaction(world.account)
    assert figures.answers == 3
    assert figures.nps == pytest.approx(100 / 3)
    assert figures.weighted_nps == pytest.approx(-200 / 18)
    page = client_for(world.kam).get(f"/surveys/?account={world.account.pk}&by=campaign")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="result-row"' in text
    assert "+33" in text
    assert "-11" in text


def test_the_results_page_counts_only_what_the_user_sees(world: World) -> None:
    _wave(world)
    text = client_for(world.other_kam).get("/surveys/").content.decode()
    assert text.count('data-testid="result-row"') == 1  # their own promoter only
    assert world.account.legal_name not in text


def test_the_account_card_reads_the_latest_campaign_answered(world: World) -> None:
    _wave(world)  # spring: +33 plain, -11 weighted
    autumn = campaign("秋季", end=dt.date(2026, 9, 30))
    answer(autumn, contact(world.account, influence_level=5, influence_type="economic"), 10)
    answer(autumn, contact(world.account, influence_level=1, influence_type="user"), 0)
    figures = account_satisfaction(world.account)
    assert figures.campaign == autumn
    assert figures.answers == 2
    assert figures.nps == pytest.approx(0.0)  # one promoter, one detractor
    assert figures.weighted_nps == pytest.approx(100 * (10 - 1) / 11)  # +81.8
    assert len(figures.latest) == 3
    assert figures.latest[0].campaign == autumn
