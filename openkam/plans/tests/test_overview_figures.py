"""The figures the plans overview reads from each plan (objectives behind, open show stoppers,
resources asked and granted, last review) stay equal to the ones computed from the plan's
parts after every kind of write: adds, changes, status changes, decisions, deletes, a risk
moved between plans, the refresh, a review. `openkam plan_figures` finds and fixes a drift."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from openkam.common.errors import PermissionDenied
from openkam.conftest import World
from openkam.plans import services
from openkam.plans.figures import plan_figures_mismatches, plan_figures_refresh
from openkam.plans.models import (
    PLAN_FIGURES,
    AccountPlan,
    Decision,
    Metric,
    Objective,
    PlanStatus,
    Progress,
    ResourceRequest,
    Risk,
    RiskStatus,
)
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db


def _stored(account_plan: AccountPlan) -> dict[str, object]:
    return AccountPlan.objects.filter(pk=account_plan.pk).values(*PLAN_FIGURES).get()


def _assert_in_step() -> None:
    assert plan_figures_mismatches() == []


def test_objectives_behind_follow_progress_set_by_hand_and_deletes(world: World) -> None:
    draft = plan(world.account)
    free = services.objective_add(
        user=world.kam, plan=draft, metric=Metric.FREE_TEXT, description="进入供应商短名单"
    )
    services.objective_update(user=world.kam, objective=free, changes={"progress": "behind"})
    assert _stored(draft)["objectives_behind"] == 1
    _assert_in_step()
    services.objective_update(user=world.kam, objective=free, changes={"progress": "on_track"})
    assert _stored(draft)["objectives_behind"] == 0
    services.objective_update(user=world.kam, objective=free, changes={"progress": "behind"})
    services.part_delete(user=world.kam, part=free)
    assert _stored(draft)["objectives_behind"] == 0
    _assert_in_step()


def test_the_refresh_stores_the_objectives_it_finds_behind(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    objective(active, target=Decimal("1200000"))  # nothing booked: behind by July
    objective(active, metric=Metric.FREE_TEXT, target=None, progress=Progress.BEHIND)
    other = plan(world.other_account, status=PlanStatus.ACTIVE, year=2026)
    objective(other, target=Decimal("500000"))
    services.objectives_measure(as_of=dt.date(2026, 7, 1))
    assert _stored(active)["objectives_behind"] == 2
    assert _stored(other)["objectives_behind"] == 1
    _assert_in_step()


def test_measuring_given_plans_recomputes_only_theirs(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    objective(active, target=Decimal("1200000"))
    untouched = plan(world.other_account, status=PlanStatus.ACTIVE, year=2026)
    Objective.objects.create(
        plan=untouched,
        metric=Metric.FREE_TEXT,
        description="x",
        starts_on=untouched.period_start,
        due_on=untouched.period_end,
        progress=Progress.BEHIND,
    )
    services.objectives_measure(plans=[active], as_of=dt.date(2026, 7, 1))
    assert _stored(active)["objectives_behind"] == 1
    assert _stored(untouched)["objectives_behind"] == 0  # written around the services
    assert [(m.plan_id, m.figure) for m in plan_figures_mismatches()] == [
        (untouched.pk, "objectives_behind")
    ]


def test_resources_asked_granted_changed_and_deleted(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    first = services.resource_request_add(
        user=world.kam,
        plan=active,
        function="rnd",
        reason="联合开发",
        person_days=Decimal("20"),
        amount=Decimal("50000"),
    )
    second = services.resource_request_add(
        user=world.kam, plan=active, function="quality", reason="驻厂", person_days=Decimal("5")
    )
    figures = _stored(active)
    assert (figures["days_asked"], figures["money_asked"]) == (Decimal("25"), Decimal("50000"))
    assert (figures["days_granted"], figures["money_granted"]) == (None, None)
    services.resource_request_update(
        user=world.kam, request=second, changes={"person_days": Decimal("8")}
    )
    services.resource_decide(
        user=world.director,
        request=first,
        decision=Decision.PARTLY,
        granted_person_days=Decimal("10"),
        granted_amount=Decimal("20000"),
    )
    services.resource_decide(user=world.director, request=second, decision=Decision.GRANTED)
    figures = _stored(active)
    assert (figures["days_asked"], figures["days_granted"]) == (Decimal("28"), Decimal("18"))
    assert (figures["money_asked"], figures["money_granted"]) == (
        Decimal("50000"),
        Decimal("20000"),
    )
    _assert_in_step()
    draft = plan(world.other_account)
    refused = services.resource_request_add(
        user=world.other_kam, plan=draft, function="rnd", reason="x", amount=Decimal("900")
    )
    services.resource_decide(
        user=world.executive, request=refused, decision=Decision.REFUSED, comment="预算不足"
    )
    assert _stored(draft)["money_granted"] is None
    services.part_delete(user=world.other_kam, part=refused)
    assert _stored(draft)["money_asked"] is None
    assert not ResourceRequest.objects.filter(plan=draft).exists()
    _assert_in_step()


def _show_stopper(world: World, account_plan: AccountPlan) -> int:
    risk = services.risk_create(
        user=world.kam,
        account_id=world.account.pk,
        fields={
            "source": "customer",
            "category": "credit",
            "description": "客户资金链紧张",
            "probability": "high",
            "impact": "high",
            "plan_id": account_plan.pk,
        },
    )
    return risk.pk


def test_show_stoppers_follow_rating_status_and_the_plan_they_are_on(world: World) -> None:
    this_year = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    next_year = plan(world.account, year=2027)
    risk_id = _show_stopper(world, this_year)
    _show_stopper(world, this_year)
    assert _stored(this_year)["show_stoppers"] == 2
    risk = Risk.objects.get(pk=risk_id)
    services.risk_update(user=world.kam, risk=risk, changes={"impact": "medium"})
    assert _stored(this_year)["show_stoppers"] == 1  # now a significant risk
    services.risk_update(user=world.kam, risk=risk, changes={"impact": "high"})
    services.risk_update(user=world.kam, risk=risk, changes={"plan_id": next_year.pk})
    assert (_stored(this_year)["show_stoppers"], _stored(next_year)["show_stoppers"]) == (1, 1)
    services.risk_update(user=world.kam, risk=risk, changes={"status": RiskStatus.MITIGATING})
    assert _stored(next_year)["show_stoppers"] == 1  # mitigating is still open
    services.risk_update(user=world.kam, risk=risk, changes={"status": RiskStatus.CLOSED})
    assert _stored(next_year)["show_stoppers"] == 0
    services.risk_update(user=world.kam, risk=risk, changes={"status": RiskStatus.OPEN})
    services.risk_update(user=world.kam, risk=risk, changes={"plan_id": None})
    assert _stored(next_year)["show_stoppers"] == 0
    _assert_in_step()


def test_a_review_is_the_plans_last_review(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    services.review_create(user=world.kam, plan=active, held_on=dt.date(2026, 4, 1))
    services.review_create(user=world.kam, plan=active, held_on=dt.date(2026, 7, 1))
    assert _stored(active)["last_review_on"] == dt.date(2026, 7, 1)
    _assert_in_step()


def test_a_refused_write_changes_no_figure(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    with pytest.raises(PermissionDenied):
        services.resource_request_add(
            user=world.viewer, plan=active, function="rnd", reason="x", amount=Decimal("1")
        )
    assert _stored(active)["money_asked"] is None


def test_the_check_command_finds_a_drift_and_fix_repairs_it(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    _show_stopper(world, active)
    call_command("plan_figures")  # in step: no error
    AccountPlan.objects.filter(pk=active.pk).update(show_stoppers=5, days_asked=Decimal("3"))
    with pytest.raises(CommandError, match="2 stored figures differ"):
        call_command("plan_figures")
    call_command("plan_figures", "--fix")
    assert _stored(active)["show_stoppers"] == 1
    assert _stored(active)["days_asked"] is None


def test_refreshing_no_plan_ids_touches_nothing(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    AccountPlan.objects.filter(pk=active.pk).update(show_stoppers=3)
    assert plan_figures_refresh([None]) == 0
    assert _stored(active)["show_stoppers"] == 3
