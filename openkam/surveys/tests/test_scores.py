"""NPS and the role-weighted NPS on answers computed by hand (no Django)."""

from __future__ import annotations

import pytest

from openkam.surveys.scores import (
    change,
    contact_weight,
    csat_level,
    nps,
    nps_category,
    response_rate,
    weighted_nps,
)


def test_nps_is_promoters_minus_detractors_in_points() -> None:
    # 10, 9, 9: promoters (3); 8, 7: passives (2); 6, 3, 0: detractors (3); 10 answers with
    # 9 and 2 more: promoters 4, passives 2, detractors 4 of 10 -> 40% - 40% = 0.
    assert nps([10, 9, 9, 8, 7, 6, 3, 0, 9, 2]) == pytest.approx(0.0)
    # 2 promoters, 1 passive, 1 detractor of 4: 50% - 25% = +25.
    assert nps([9, 10, 7, 6]) == pytest.approx(25.0)
    assert nps([0, 6]) == pytest.approx(-100.0)
    assert nps([]) is None
    assert nps([None, 8]) == pytest.approx(0.0)  # unknown answers are left out


def test_the_cuts_are_9_and_6() -> None:
    assert [nps_category(s) for s in (10, 9, 8, 7, 6, 0)] == [
        "promoter", "promoter", "passive", "passive", "detractor", "detractor",
    ]  # fmt: skip


def test_the_economic_buyer_counts_for_what_they_are_worth() -> None:
    # Economic buyer, influence 5 -> 5 x 2.0 = 10, answers 3 (detractor).
    # User buyer, influence 2 -> 2 x 1.0 = 2, answers 10 (promoter).
    # Technical buyer, influence 4 -> 4 x 1.5 = 6, answers 9 (promoter).
    # Coach, influence unknown (3) -> 3, answers 8 (passive).
    weights = [
        contact_weight(5, "economic"),
        contact_weight(2, "user"),
        contact_weight(4, "technical"),
        contact_weight(None, "coach"),
    ]
    assert weights == [10.0, 2.0, 6.0, 3.0]
    scores = [3, 10, 9, 8]
    # Plain: 2 promoters, 1 detractor of 4 = +25. Weighted: (2 + 6 - 10) / 21 = -9.52 points.
    assert nps(scores) == pytest.approx(25.0)
    assert weighted_nps(scores, weights) == pytest.approx(-200.0 / 21.0)


def test_a_contact_off_the_map_weighs_like_an_average_user() -> None:
    assert contact_weight(3, "") == 3.0
    assert contact_weight(0, None) == 3.0


def test_weights_must_match_the_scores() -> None:
    with pytest.raises(ValueError, match="one weight per score"):
        weighted_nps([9], [])
    assert weighted_nps([9, 3], [0.0, 0.0]) is None


def test_rates_levels_and_changes() -> None:
    assert response_rate(3, 4) == pytest.approx(0.75)
    assert response_rate(0, 0) is None
    assert csat_level(1.0) == 0.0
    assert csat_level(5.0) == 1.0
    assert csat_level(4.0) == 0.75
    assert change(2.5, 4.0) == pytest.approx(-1.5)
    assert change(None, 4.0) is None
