"""A KPI below zero (sales falling, a loss) or a negative target (a fall allowed) has a
meaningful attainment, 1 + (actual − target) ÷ |target|, written in the KPI's definition; and
the company's row shows a remainder not yet given to teams only beyond the teams' rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from openkam.common.errors import ValidationError
from openkam.conftest import World, client_for
from openkam.factories import AccountMonthFactory, TeamFactory
from openkam.performance.appraisals import score_line, weights_set
from openkam.performance.kpis import DEFINITIONS, attained
from openkam.performance.models import KpiWeight, Level, Target
from openkam.performance.services import remainder

D = Decimal
PAGE = reverse("performance:kpis")


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (D("900"), D("1000"), 0.9),  # a positive target: actual ÷ target, as before
        (D("-0.05"), D("0.10"), -0.5),  # sales fell 5 % against +10 % aimed at
        (D("-0.02"), D("-0.05"), 1.6),  # a fall of 2 % where 5 % was allowed
        (D("-0.05"), D("-0.05"), 1.0),  # the target itself
        (D("-0.10"), D("-0.05"), 0.0),  # twice the fall allowed
        (D("0.03"), D("-0.05"), 2.6),  # growth where a fall was allowed
        (D("-0.12"), D("0.30"), -0.4),  # a loss-making margin against 30 %
    ],
)
def test_attainment_is_one_plus_the_difference_over_the_targets_size(
    actual: Decimal, target: Decimal, expected: float
) -> None:
    assert attained(actual, target) == pytest.approx(expected)


def test_no_attainment_without_an_actual_or_a_target_other_than_zero() -> None:
    assert attained(None, D("1")) is None
    assert attained(D("1"), None) is None
    assert attained(D("1"), D("0")) is None


def test_the_rule_is_written_in_the_definitions_of_the_kpis_that_go_below_zero() -> None:
    for key in ("growth", "margin_rate"):
        with translation.override("en"):
            assert "1 + (actual − target) ÷ |target|" in str(DEFINITIONS[key][1])
        with translation.override("zh-hans"):
            assert "1 +（实际 − 目标）÷ |目标|" in str(DEFINITIONS[key][1])


def test_the_appraisal_scores_a_negative_target_the_same_way_floored_and_capped() -> None:
    assert score_line("growth", D(10), D("-0.05"), D("-0.02")).score == D("120.0")  # 160 %: cap
    assert score_line("growth", D(10), D("-0.05"), D("-0.06")).score == D("80.0")
    assert score_line("growth", D(10), D("-0.05"), D("-0.20")).score == D("0.0")  # floored
    assert score_line("sales", D(30), D(1000), D(900)).score == D("90.0")


@pytest.mark.django_db
def test_only_the_growth_target_may_be_negative(world: World) -> None:
    weights: dict[str, tuple[Decimal, Decimal | None]] = {
        key: (D("10"), None) for key in DEFINITIONS
    }
    weights["growth"] = (D("10"), D("-0.05"))
    weights_set(user=world.executive, team=None, weights=weights)
    assert KpiWeight.objects.get(team=None, kpi="growth").target == D("-0.05")
    weights["margin_rate"] = (D("10"), D("-0.1"))
    with pytest.raises(ValidationError) as refused:
        weights_set(user=world.executive, team=None, weights=weights)
    assert set(refused.value.message_dict) == {"margin_rate"}
    assert KpiWeight.objects.get(team=None, kpi="margin_rate").target is None  # nothing saved


def _row(html: str, key: str) -> str:
    return html.split(f'data-kpi="{key}"', 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_kpi_page_shows_the_attainment_of_a_fall_against_a_negative_target(
    world: World,
) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2025, 3, 1), revenue=950)
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 3, 1), revenue=900)
    KpiWeight.objects.create(team=None, kpi="growth", weight=10, target=D("-0.05"))
    html = client_for(world.executive).get(PAGE, {"period": "2026"}).content.decode()
    row = _row(html, "growth")
    assert "-5.3%" in row  # (900 − 950) ÷ 950
    assert "94.7%" in row  # 1 + (−0.0526 + 0.05) ÷ 0.05, where "—" was shown before


@pytest.mark.parametrize(
    ("given", "left"),
    [
        ([D("3333334"), D("3333334"), D("3333333")], D("0")),  # ¥1 over: rounding
        ([D("3333333"), D("3333333"), D("3333333")], D("0")),  # ¥1 under: rounding
        ([D("3333333.40"), D("3333333.30"), D("3333333.30")], D("0")),
        ([D("3333330"), D("3333333"), D("3333333")], D("4")),  # beyond: shown
        ([D("5000000")], D("5000000")),
        ([], D("10000000")),
    ],
)
def test_a_remainder_is_shown_only_beyond_the_rounding_of_the_teams_targets(
    given: list[Decimal], left: Decimal
) -> None:
    assert remainder(D("10000000"), given, "sales") == left


def test_a_count_has_no_rounding() -> None:
    assert remainder(D("10"), [D("3"), D("3"), D("3")], "new_key_accounts") == D("1")
    assert remainder(D("10"), [D("5"), D("6")], "new_key_accounts") == D("-1")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_company_row_shows_no_minus_one_yuan_when_the_teams_round_above(
    world: World,
) -> None:
    third = TeamFactory.create()
    Target.objects.create(year=2026, level=Level.COMPANY, metric="sales", amount=10_000_000)
    for team, amount in (
        (world.team, 3_333_334),
        (world.other_team, 3_333_334),
        (third, 3_333_333),
    ):
        Target.objects.create(year=2026, level=Level.TEAM, metric="sales", team=team, amount=amount)
    html = client_for(world.executive).get(PAGE, {"period": "2026"}).content.decode()
    company_row = html.split('data-testid="company-row"', 1)[1].split("</tr>", 1)[0]
    gap = company_row.split('data-testid="company-gap"', 1)[1].split("</div>", 1)[0]
    assert "¥" not in gap  # neither -¥1 nor ¥0: the whole target is given to teams
    assert "All given to teams" in gap
    assert "text-green" in gap
    Target.objects.filter(team=third).update(amount=3_333_300)
    html = client_for(world.executive).get(PAGE, {"period": "2026"}).content.decode()
    company_row = html.split('data-testid="company-row"', 1)[1].split("</tr>", 1)[0]
    assert "¥32" in company_row.split('data-testid="company-gap"', 1)[1].split("</div>", 1)[0]
