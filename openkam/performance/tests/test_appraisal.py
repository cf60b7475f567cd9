"""The appraisal form: scores from hand-set KPIs (attainment capped at 120 %, linear, unscored
KPIs' weight shared out), the weights' rules, and the sign-off state machine with its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.factories import AccountMonthFactory
from openkam.performance import appraisals
from openkam.performance.appraisals import (
    Line,
    appraisal_open,
    appraisal_sign,
    appraisal_update,
    overall_score,
    score_line,
    weighted_score,
    weights_for,
    weights_set,
)
from openkam.performance.models import Appraisal, AppraisalStatus, KpiWeight, Level, Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal


def test_attainment_is_linear_and_capped() -> None:
    assert score_line("sales", D(30), D(1000), D(900)).score == D("90.0")
    assert score_line("sales", D(30), D(1000), D(2000)).score == D("120.0")
    assert score_line("growth", D(10), D("0.1"), D("-0.05")).score == D("0.0")
    assert score_line("satisfaction", D(5), D(4), None).score is None
    assert score_line("sales", D(30), None, D(5)).score is None


def test_the_kpi_score_is_the_weighted_mean_of_the_scored_lines() -> None:
    lines = [
        Line("sales", D(50), D(1), D(1), D(1), D("90.0")),
        Line("margin_rate", D(30), D(1), D(1), D(1), D("120.0")),
        Line("satisfaction", D(20), D(1), None, None, None),  # its 20 shared out
    ]
    assert weighted_score(lines) == D("101.3")  # (50×90 + 30×120) ÷ 80 = 101.25
    assert overall_score(D("101.3"), {"attitude": 4, "teamwork": 3}) == D("95.0")  # .8×101.3+.2×70


def test_the_default_weights_add_up_to_a_hundred() -> None:
    assert sum(weight for weight, _t in appraisals.DEFAULT_WEIGHTS.values()) == 100


def test_a_teams_weights_override_the_companys(world: World) -> None:
    weights_set(
        user=world.executive,
        team=None,
        weights={"sales": (D(60), None), "margin_rate": (D(40), D("0.3"))},
    )
    assert weights_for(world.team)["sales"] == (D(60), None)
    weights_set(user=world.director, team=world.team, weights={"sales": (D(100), None)})
    assert weights_for(world.team)["sales"] == (D(100), None)
    assert weights_for(world.team)["margin_rate"] == (D(0), None)
    assert weights_for(world.other_team)["margin_rate"] == (D(40), D("0.3000"))


def test_weights_not_adding_up_to_a_hundred_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        weights_set(user=world.executive, team=None, weights={"sales": (D(60), None)})
    assert "weights" in raised.value.message_dict
    assert not KpiWeight.objects.exists()


@pytest.mark.parametrize("who", ["kam", "other_kam", "analyst", "viewer"])
def test_only_executives_and_the_director_set_weights(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        weights_set(user=getattr(world, who), team=world.team, weights={"sales": (D(100), None)})
    with pytest.raises(PermissionDenied):  # the other team's director
        weights_set(user=world.director, team=world.other_team, weights={"sales": (D(100), None)})
    assert not KpiWeight.objects.exists()


@pytest.fixture
def opened(world: World) -> Appraisal:
    Target.objects.create(
        year=2026, level=Level.KAM, metric="sales", team=world.team, kam=world.kam,
        amount=D(12000), months=["1000.00"] * 12,
    )  # fmt: skip
    AccountMonthFactory.create(
        account=world.account, month=dt.date(2026, 7, 1), revenue=2400, cost=1800
    )
    AccountMonthFactory.create(
        account=world.account, month=dt.date(2025, 7, 1), revenue=2000, cost=1000
    )
    weights = {
        "sales": (D(50), None),
        "margin_rate": (D(30), D("0.25")),
        "growth": (D(20), D("0.1")),
    }
    weights_set(user=world.executive, team=None, weights=weights)
    return appraisal_open(user=world.director, kam=world.kam, period="2026-Q3")


def test_the_form_is_scored_from_the_kams_kpis(opened: Appraisal) -> None:
    by_kpi = {line["kpi"]: line for line in opened.lines}
    assert by_kpi["sales"]["target"] == "3000.00"
    assert by_kpi["sales"]["score"] == "80.0"
    assert by_kpi["margin_rate"]["score"] == "100.0"  # 600 ÷ 2,400 = 25 % of 25 %
    assert by_kpi["growth"]["score"] == "120.0"  # 20 % growth on a 10 % target, capped
    assert opened.kpi_score == D("94.0")  # (50×80 + 30×100 + 20×120) ÷ 100
    assert opened.status == AppraisalStatus.DRAFT


def test_both_sign_and_the_form_closes_with_its_history(world: World, opened: Appraisal) -> None:
    with pytest.raises(ValidationError):  # the manager rates before signing
        appraisal_sign(user=world.director, appraisal=opened)
    appraisal_update(
        user=world.director, appraisal=opened, ratings={"attitude": 4}, manager_comment="好"
    )
    signed = appraisal_sign(user=world.director, appraisal=opened)
    assert signed.status == AppraisalStatus.MANAGER_SIGNED
    changed = appraisal_update(user=world.kam, appraisal=opened, kam_comment="同意")
    assert changed.status == AppraisalStatus.DRAFT  # the KAM's change withdrew the signature
    appraisal_sign(user=world.kam, appraisal=opened)
    closed = appraisal_sign(user=world.director, appraisal=opened)
    assert closed.status == AppraisalStatus.CLOSED
    with pytest.raises(ValidationError):
        appraisal_update(user=world.kam, appraisal=opened, kam_comment="改")
    with pytest.raises(ValidationError):
        appraisal_sign(user=world.kam, appraisal=opened)
    closed.refresh_from_db()
    assert closed.kam_comment == "同意"
    reasons = list(
        closed.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "scored", "changed", "signed_by_manager", "kam_changed_after_signature",
        "signed_by_kam", "signed_by_manager",
    ]  # fmt: skip
    users = list(closed.history.order_by("history_id").values_list("history_user", flat=True))
    assert users == [world.director.pk, world.director.pk, world.director.pk, world.kam.pk,
                     world.kam.pk, world.director.pk]  # fmt: skip


def test_the_manager_changing_a_signed_form_withdraws_the_kams_signature(
    world: World, opened: Appraisal
) -> None:
    appraisal_sign(user=world.kam, appraisal=opened)
    changed = appraisal_update(user=world.director, appraisal=opened, ratings={"teamwork": 2})
    assert changed.status == AppraisalStatus.DRAFT
    assert changed.kam_signed_at is None


def test_a_signed_form_is_not_rescored(world: World, opened: Appraisal) -> None:
    appraisal_sign(user=world.kam, appraisal=opened)
    with pytest.raises(ValidationError):
        appraisal_open(user=world.director, kam=world.kam, period="2026-Q3")


def test_the_kam_may_not_rate_nor_the_manager_write_the_kams_comments(
    world: World, opened: Appraisal
) -> None:
    with pytest.raises(PermissionDenied):
        appraisal_update(user=world.kam, appraisal=opened, ratings={"attitude": 5})
    with pytest.raises(PermissionDenied):
        appraisal_update(user=world.director, appraisal=opened, kam_comment="代写")
    with pytest.raises(ValidationError) as raised:
        appraisal_update(user=world.director, appraisal=opened, ratings={"attitude": 6})
    assert "attitude" in raised.value.message_dict
    opened.refresh_from_db()
    assert opened.ratings == {}
    assert opened.kam_comment == ""


@pytest.mark.parametrize("who", ["other_kam", "analyst", "viewer"])
def test_others_may_not_sign(world: World, opened: Appraisal, who: str) -> None:
    with pytest.raises(PermissionDenied):
        appraisal_sign(user=getattr(world, who), appraisal=opened)
    opened.refresh_from_db()
    assert opened.status == AppraisalStatus.DRAFT


def test_only_the_manager_opens_a_form(world: World) -> None:
    with pytest.raises(PermissionDenied):
        appraisal_open(user=world.kam, kam=world.kam, period="2026-Q3")
    with pytest.raises(NotFound):
        appraisal_open(user=world.director, kam=world.other_kam, period="2026-Q3")
    with pytest.raises(ValidationError):
        appraisal_open(user=world.director, kam=world.kam, period="2026-07")
    assert not Appraisal.objects.exists()
