"""The settings page's scorecard criteria (add, rename in both languages, weigh, switch off;
the qualitative value criteria of the sources available; the latest refresh scored again on
save), the value-matrix cuts and the service level of each tier, each change kept with who
made it, a refusal naming its field and saving nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.governance.tests.test_settings_page import form_data
from openkam.interactions.models import ContactCadence
from openkam.portfolio.models import (
    AccountScore,
    AccountSnapshot,
    MatrixCut,
    PortfolioRun,
    PortfolioSettings,
    ScoringCriterion,
    TierServiceLevel,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def scored_at_once(settings: Any) -> None:
    """The re-scoring job run inside the save (Django's immediate task backend), so these tests
    read the figures the worker would leave; the queue itself: test_rescore_job.py."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


URL = reverse("governance:settings")
ATTRACTIVE = ScoringCriterion.Scorecard.ATTRACTIVENESS


def index_of(criterion: ScoringCriterion) -> int:
    ordered = list(ScoringCriterion.objects.order_by("scorecard", "position", "pk"))
    return ordered.index(criterion)


def test_the_value_criteria_of_the_sources_are_available_switched_off() -> None:
    found = ScoringCriterion.objects.filter(
        key__in=["word_of_mouth_value", "knowledge_value", "industry_influence"]
    )
    assert {(c.name, c.name_en, c.is_active) for c in found} == {
        ("口碑价值", "Word-of-mouth value", False),
        ("知识价值", "Knowledge value", False),
        ("行业影响力", "Industry influence", False),
    }


@pytest.fixture
def two_criteria(world: World, refreshed: PortfolioRun) -> tuple[ScoringCriterion, ...]:
    """Only two attractiveness criteria in use, weighed 3 and 3; the KAM's account scored 5 on
    the first and 1 on the second: attractiveness 100 * (3*1 + 3*0) / 6 = 50."""
    ScoringCriterion.objects.filter(scorecard=ATTRACTIVE).update(is_active=False)
    first = ScoringCriterion.objects.get(scorecard=ATTRACTIVE, key="revenue_potential")
    second = ScoringCriterion.objects.get(scorecard=ATTRACTIVE, key="profit_potential")
    ScoringCriterion.objects.filter(pk__in=[first.pk, second.pk]).update(
        is_active=True, weight=Decimal("3")
    )
    AccountScore.objects.create(account=world.account, criterion=first, score=5)
    AccountScore.objects.create(account=world.account, criterion=second, score=1)
    return first, second


def test_a_weight_change_scores_the_latest_refresh_again(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    response = client_for(world.analyst).post(
        URL, form_data(**{f"w-{index_of(first)}-weight": "9"})
    )
    assert response.status_code == 302
    # 100 * (9*1 + 3*0) / 12 = 75
    snapshot = AccountSnapshot.objects.get(account=world.account)
    assert snapshot.attractiveness == pytest.approx(75.0)
    assert snapshot.attractiveness_coverage == pytest.approx(1.0)
    # the others have no score: not placed
    assert AccountSnapshot.objects.get(account=world.other_account).attractiveness is None
    first.refresh_from_db()
    assert first.weight == Decimal("9")
    assert first.history.latest().history_user == world.analyst


def test_switching_a_criterion_off_and_renaming_it_scores_again(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, second = two_criteria
    i = index_of(second)
    data = form_data(**{f"w-{i}-name": "利润空间", f"w-{i}-name_en": "Profit room"})
    del data[f"w-{index_of(first)}-is_active"]
    assert client_for(world.executive).post(URL, data).status_code == 302
    second.refresh_from_db()
    assert (second.name, second.name_en) == ("利润空间", "Profit room")
    # only the second (scored 1) is left: 0
    assert AccountSnapshot.objects.get(account=world.account).attractiveness == pytest.approx(0.0)


def test_a_new_criterion_is_added_and_scored(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    data = form_data(
        **{"n-scorecard": ATTRACTIVE, "n-key": "reference_value", "n-name": "标杆价值",
           "n-name_en": "Reference value", "n-weight": "6"}
    )  # fmt: skip
    assert client_for(world.analyst).post(URL, data).status_code == 302
    added = ScoringCriterion.objects.get(key="reference_value")
    assert (added.name, added.name_en, added.weight, added.is_active) == (
        "标杆价值", "Reference value", Decimal("6"), True
    )  # fmt: skip
    assert added.history.latest().history_user == world.analyst
    # unscored, it counts against the coverage: 6 of 12 weight scored
    snapshot = AccountSnapshot.objects.get(account=world.account)
    assert snapshot.attractiveness == pytest.approx(50.0)
    assert snapshot.attractiveness_coverage == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("changes", "testid", "message"),
    [
        ({"n-key": "solvency", "n-name": "x", "n-name_en": "x", "n-weight": "1",
          "n-scorecard": "attractiveness"}, "error-new-key", "with this key already"),
        ({"n-key": "half_filled"}, "error-new-name", "This field is required"),
    ],
)  # fmt: skip
def test_a_bad_new_criterion_names_its_field_and_saves_nothing(
    world: World, changes: dict[str, str], testid: str, message: str
) -> None:
    before = ScoringCriterion.objects.count()
    response = client_for(world.analyst).post(URL, form_data(key_threshold="30000000", **changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'data-testid="{testid}"' in html
    assert message in html
    assert ScoringCriterion.objects.count() == before
    assert PortfolioSettings.current().key_threshold == Decimal("20000000")


def test_service_levels_and_visit_cadence_per_tier_are_set(world: World) -> None:
    data = form_data(
        **{"s-major-every_days": "21", "s-major-support_response_hours": "6",
           "s-major-executive_sponsor": "on"}
    )  # fmt: skip
    del data["s-major-priority_delivery"]
    assert client_for(world.executive).post(URL, data).status_code == 302
    level = TierServiceLevel.objects.get(tier="major")
    assert (level.support_response_hours, level.executive_sponsor, level.priority_delivery) == (
        6, True, False
    )  # fmt: skip
    assert level.history.latest().history_user == world.executive
    assert ContactCadence.objects.get(tier="major").every_days == 21
    # untouched tiers keep the policy's
    assert TierServiceLevel.objects.get(tier="strategic").support_response_hours == 2
    page = client_for(world.executive).get(URL).content.decode()
    assert "service level" in page  # the history names the change


def test_a_bad_service_level_names_its_tier_and_field_and_saves_nothing(world: World) -> None:
    data = form_data(**{"s-key-support_response_hours": "0", "s-key-every_days": "10"})
    response = client_for(world.analyst).post(URL, data)
    assert response.status_code == 422
    assert 'data-testid="error-key-support_response_hours"' in response.content.decode()
    assert TierServiceLevel.objects.get(tier="key").support_response_hours == 4
    assert ContactCadence.objects.get(tier="key").every_days != 10


def test_the_value_matrix_cuts_are_chosen_per_matrix(world: World) -> None:
    data = form_data(sales_profit_cut="fixed", sales_profit_revenue_cut="2500000")
    assert client_for(world.analyst).post(URL, data).status_code == 302
    current = PortfolioSettings.current()
    assert current.sales_profit_cut == MatrixCut.FIXED
    assert current.sales_profit_revenue_cut == Decimal("2500000")
    assert current.volume_loyalty_cut == MatrixCut.MEDIAN


def test_a_save_that_changes_nothing_records_nothing(world: World) -> None:
    client = client_for(world.analyst)
    client.get(URL)
    settings_before = PortfolioSettings.current().history.count()
    levels_before = TierServiceLevel.history.count()
    criteria_before = ScoringCriterion.history.count()
    assert client.post(URL, form_data()).status_code == 302
    assert PortfolioSettings.current().history.count() == settings_before
    assert TierServiceLevel.history.count() == levels_before
    assert ScoringCriterion.history.count() == criteria_before
