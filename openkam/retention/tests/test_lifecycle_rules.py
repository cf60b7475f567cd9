"""The lifecycle rules, one stage each, in their order (openkam.retention.lifecycle)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from openkam.retention.lifecycle import Figures, LifecycleRules, suggest

RULES = LifecycleRules()
STABLE = Figures(
    purchase_days=40, age_weeks=200.0, days_since_last_purchase=20, p_alive=0.9,
    churn_level="low", revenue_12m=Decimal("1000000"), revenue_prev_12m=Decimal("1000000"),
    as_of=dt.date(2026, 6, 30),
)  # fmt: skip


def stage(figures: Figures | None, relationship: str = "early", **kw: object) -> str | None:
    return suggest(figures, relationship_stage=relationship, rules=RULES,
                   open_case=bool(kw.get("open_case")), lost_on=kw.get("lost_on"))  # type: ignore[arg-type]  # fmt: skip


def test_a_stable_buyer_is_in_maintenance() -> None:
    assert stage(STABLE) == "maintenance"


def test_an_open_case_is_win_back_whatever_the_figures() -> None:
    assert stage(replace(STABLE, churn_level="high"), open_case=True) == "win_back"
    assert stage(None, open_case=True) == "win_back"


def test_no_purchase_yet_is_identification() -> None:
    assert stage(replace(STABLE, purchase_days=0, days_since_last_purchase=None)) == (
        "identification"
    )


@pytest.mark.parametrize(
    ("silent", "p_alive", "expected"),
    [(365, 0.05, "lost"), (364, 0.05, "maintenance"), (400, 0.1, "maintenance"),
     (400, None, "lost")],
)  # fmt: skip
def test_a_year_of_silence_with_a_low_p_alive_is_lost(
    silent: int, p_alive: float | None, expected: str
) -> None:
    assert stage(replace(STABLE, days_since_last_purchase=silent, p_alive=p_alive)) == expected


def test_a_case_closed_as_lost_stays_lost_until_the_next_purchase() -> None:
    lost_on = dt.date(2026, 6, 1)
    # last purchase 2026-06-10 (20 days before the refresh): after the case closed
    assert stage(STABLE, lost_on=lost_on) == "maintenance"
    assert stage(replace(STABLE, days_since_last_purchase=40), lost_on=lost_on) == "lost"
    assert stage(None, lost_on=lost_on) == "lost"


def test_high_churn_risk_is_a_churn_warning() -> None:
    assert stage(replace(STABLE, churn_level="high")) == "churn_warning"
    assert stage(replace(STABLE, churn_level="medium")) == "maintenance"


def test_the_first_twelve_months_are_building() -> None:
    assert stage(replace(STABLE, age_weeks=52.0)) == "building"  # 364 days
    assert stage(replace(STABLE, age_weeks=52.2)) == "maintenance"  # 365.4 days


@pytest.mark.parametrize(
    ("relationship", "now", "expected"),
    [("mid", "1050000", "deepening"), ("synergistic", "1200000", "deepening"),
     ("mid", "1049999", "maintenance"), ("early", "2000000", "maintenance")],
)  # fmt: skip
def test_a_mid_or_later_relationship_growing_five_percent_is_deepening(
    relationship: str, now: str, expected: str
) -> None:
    assert stage(replace(STABLE, revenue_12m=Decimal(now)), relationship) == expected


def test_an_account_no_refresh_covered_keeps_its_stage() -> None:
    assert stage(None) is None
