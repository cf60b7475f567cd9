"""The plan's cycle: draft -> submitted -> approved/active -> closed, returned with a comment;
who may take each step, and nothing saved when refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.plans import services
from openkam.plans.models import AccountPlan, Metric, Objective, PlanStatus
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def test_a_kam_creates_a_draft_for_the_calendar_year(world: World) -> None:
    created = services.plan_create(user=world.kam, account_id=world.account.pk, today=TODAY)
    assert (created.status, created.period_start, created.period_end) == (
        PlanStatus.DRAFT,
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert created.owner == world.kam
    assert str(world.account) in created.title


def test_a_second_plan_for_the_same_period_is_refused(world: World) -> None:
    services.plan_create(user=world.kam, account_id=world.account.pk, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(user=world.kam, account_id=world.account.pk, today=TODAY)
    assert "period_start" in refused.value.message_dict
    assert AccountPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "error"),
    [("other_kam", NotFound), ("analyst", PermissionDenied), ("viewer", PermissionDenied)],
)
def test_who_may_not_write_the_account_cannot_create_its_plan(
    world: World, persona: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        services.plan_create(user=getattr(world, persona), account_id=world.account.pk)
    assert not AccountPlan.objects.exists()


def test_a_draft_without_objectives_cannot_be_submitted(world: World, english: None) -> None:
    draft = plan(world.account)
    with pytest.raises(ValidationError, match="objective"):
        services.plan_submit(user=world.kam, plan=draft)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_submit_then_the_director_approves_and_the_plan_is_active(world: World) -> None:
    draft = plan(world.account)
    objective(draft)
    submitted = services.plan_submit(user=world.kam, plan=draft)
    assert submitted.status == PlanStatus.SUBMITTED
    approved = services.plan_approve(user=world.director, plan=draft, today=TODAY)
    assert approved.status == PlanStatus.ACTIVE
    assert approved.decided_by == world.director
    assert [h.status for h in approved.history.order_by("history_date")] == [
        PlanStatus.DRAFT,
        PlanStatus.SUBMITTED,
        PlanStatus.ACTIVE,
    ]


def test_a_plan_for_next_year_is_approved_and_becomes_active_when_its_year_starts(
    world: World,
) -> None:
    future = plan(world.account, year=2027, status=PlanStatus.SUBMITTED)
    assert services.plan_approve(user=world.executive, plan=future, today=TODAY).status == (
        PlanStatus.APPROVED
    )
    services.objectives_measure(as_of=dt.date(2027, 1, 2))
    future.refresh_from_db()
    assert future.status == PlanStatus.ACTIVE


@pytest.mark.parametrize("persona", ["kam", "analyst", "viewer"])
def test_only_the_director_or_an_executive_decides(world: World, persona: str) -> None:
    submitted = plan(world.account, status=PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.plan_approve(user=getattr(world, persona), plan=submitted)
    with pytest.raises(PermissionDenied):
        services.plan_return(user=getattr(world, persona), plan=submitted, comment="不行")
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.SUBMITTED


def test_another_teams_director_cannot_approve(world: World) -> None:
    other_director = world.other_team.director
    assert other_director is not None
    submitted = plan(world.account, status=PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.plan_approve(user=other_director, plan=submitted)


def test_a_returned_plan_goes_back_to_draft_with_the_comment(world: World) -> None:
    submitted = plan(world.account, status=PlanStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.plan_return(user=world.director, plan=submitted, comment="  ")
    returned = services.plan_return(
        user=world.director, plan=submitted, comment="目标偏低，请按份额提升重写。"
    )
    assert (returned.status, returned.return_comment) == (
        PlanStatus.DRAFT,
        "目标偏低，请按份额提升重写。",
    )


def test_an_approved_plans_frame_is_fixed_but_its_notes_are_not(
    world: World, english: None
) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    with pytest.raises(ValidationError, match="draft"):
        services.plan_update(user=world.kam, plan=active, changes={"customer_goals": "扩产"})
    with pytest.raises(ValidationError):
        services.objective_add(
            user=world.kam, plan=active, metric=Metric.REVENUE, description="x", target=Decimal(1)
        )
    services.plan_update(user=world.kam, plan=active, changes={"internal_notes": "采购总监换人"})
    active.refresh_from_db()
    assert (active.customer_goals, active.internal_notes) == ("", "采购总监换人")


def test_an_objective_takes_its_baseline_from_the_latest_snapshot(world: World) -> None:
    from openkam.plans.tests.builders import snapshot

    snapshot(
        world.account, dt.date(2026, 2, 1), revenue_12m=Decimal("800000"), share_of_wallet=0.25
    )
    snapshot(
        world.account, dt.date(2026, 2, 20), revenue_12m=Decimal("900000"), share_of_wallet=0.3
    )
    draft = plan(world.account)
    revenue = services.objective_add(
        user=world.kam,
        plan=draft,
        metric=Metric.REVENUE,
        description="全年营收",
        target=Decimal("1000000"),
        today=TODAY,
    )
    share = services.objective_add(
        user=world.kam,
        plan=draft,
        metric=Metric.SHARE_OF_WALLET,
        description="份额",
        target=Decimal("40"),
        today=TODAY,
    )
    assert (revenue.baseline, share.baseline) == (Decimal("900000.00"), Decimal("30.00"))


def test_a_measured_objective_needs_a_target(world: World) -> None:
    draft = plan(world.account)
    with pytest.raises(ValidationError) as refused:
        services.objective_add(user=world.kam, plan=draft, metric=Metric.REVENUE, description="x")
    assert "target" in refused.value.message_dict
    assert not Objective.objects.exists()


def test_closing_needs_an_approved_or_active_plan(world: World) -> None:
    draft = plan(world.account)
    with pytest.raises(ValidationError):
        services.plan_close(user=world.kam, plan=draft)
    active = plan(world.account, year=2025, status=PlanStatus.ACTIVE)
    assert services.plan_close(user=world.kam, plan=active).status == PlanStatus.CLOSED
