"""Resources decided by the director, actions worked by their owners, risks rated from the
grid, and the joint team: refusals per persona with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.factories import ContactFactory, UserFactory
from openkam.plans import services
from openkam.plans.models import (
    Action,
    ActionStatus,
    Decision,
    JointTeamMember,
    PlanStatus,
    ResourceRequest,
    Risk,
)
from openkam.plans.risks import Rating
from openkam.plans.tests.builders import plan
from openkam.team.models import Function, Role

pytestmark = pytest.mark.django_db


def _request(world: World) -> ResourceRequest:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    return services.resource_request_add(
        user=world.kam,
        plan=active,
        function="rnd",
        reason="联合开发新型门机",
        person_days=Decimal("20"),
        amount=Decimal("50000"),
    )


def test_a_request_needs_days_or_money(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    with pytest.raises(ValidationError):
        services.resource_request_add(user=world.kam, plan=active, function="rnd", reason="x")
    assert not ResourceRequest.objects.exists()


def test_the_director_grants_part_of_a_request(world: World) -> None:
    request = _request(world)
    decided = services.resource_decide(
        user=world.director,
        request=request,
        decision=Decision.PARTLY,
        granted_person_days=Decimal("10"),
        comment="先给一半",
    )
    assert (decided.decision, decided.granted_person_days, decided.granted_amount) == (
        Decision.PARTLY,
        Decimal("10"),
        None,
    )
    assert decided.decided_by == world.director


def test_a_refusal_needs_a_reason_and_a_kam_cannot_decide(world: World) -> None:
    request = _request(world)
    with pytest.raises(ValidationError):
        services.resource_decide(user=world.director, request=request, decision=Decision.REFUSED)
    with pytest.raises(PermissionDenied):
        services.resource_decide(user=world.kam, request=request, decision=Decision.GRANTED)
    request.refresh_from_db()
    assert request.decision == Decision.PENDING


def test_an_action_owner_from_another_function_updates_it(world: World) -> None:
    engineer = UserFactory.create(username="rnd1", role=Role.VIEWER, function=Function.RND)
    active = plan(world.account, status=PlanStatus.ACTIVE)
    action = services.action_add(
        user=world.kam,
        plan=active,
        title="样件测试",
        owner_id=engineer.pk,
        due_on=dt.date(2026, 5, 1),
    )
    done = services.action_update(
        user=engineer,
        action=action,
        changes={"status": ActionStatus.DONE},
        today=dt.date(2026, 4, 30),
    )
    assert (done.status, done.done_on) == (ActionStatus.DONE, dt.date(2026, 4, 30))
    reopened = services.action_update(
        user=engineer, action=action, changes={"status": ActionStatus.OPEN}
    )
    assert reopened.done_on is None


def test_a_viewer_cannot_change_someone_elses_action(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    action = services.action_add(
        user=world.kam, plan=active, title="回访", owner_id=world.kam.pk, due_on=dt.date(2026, 5, 1)
    )
    with pytest.raises(PermissionDenied):
        services.action_update(user=world.viewer, action=action, changes={"status": "done"})
    assert Action.objects.get().status == ActionStatus.OPEN


def test_an_action_must_serve_an_objective_of_its_own_plan(world: World) -> None:
    from openkam.plans.tests.builders import objective

    mine = plan(world.account, status=PlanStatus.ACTIVE)
    theirs = plan(world.other_account, status=PlanStatus.ACTIVE)
    foreign = objective(theirs)
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            user=world.kam,
            plan=mine,
            title="x",
            owner_id=world.kam.pk,
            due_on=dt.date(2026, 5, 1),
            objective_id=foreign.pk,
        )
    assert "objective" in refused.value.message_dict
    assert not Action.objects.exists()


RISK = {
    "source": "customer",
    "category": "credit",
    "description": "客户资金紧张，回款放缓",
    "probability": "medium",
    "impact": "high",
}


def test_a_risk_is_rated_from_the_grid_and_rerated_on_change(world: World) -> None:
    risk = services.risk_create(user=world.kam, account_id=world.account.pk, fields=RISK)
    assert (risk.rating, risk.owner) == (Rating.SIGNIFICANT, world.kam)
    risk = services.risk_update(
        user=world.kam, risk=risk, changes={"probability": "high", "status": "happened"}
    )
    assert (risk.rating, risk.closed_on is not None) == (Rating.SHOW_STOPPER, True)


@pytest.mark.parametrize(
    ("persona", "error"),
    [("other_kam", NotFound), ("analyst", PermissionDenied), ("viewer", PermissionDenied)],
)
def test_risks_refused_to_who_may_not_write_the_account(
    world: World, persona: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        services.risk_create(user=getattr(world, persona), account_id=world.account.pk, fields=RISK)
    assert not Risk.objects.exists()


def test_a_risk_tied_to_another_accounts_plan_is_refused(world: World) -> None:
    theirs = plan(world.other_account)
    with pytest.raises(ValidationError):
        services.risk_create(
            user=world.executive, account_id=world.account.pk, fields={**RISK, "plan_id": theirs.pk}
        )
    assert not Risk.objects.exists()


def test_the_joint_team_takes_our_people_and_their_contacts_only(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    theirs = ContactFactory.create(account=world.account)
    stranger = ContactFactory.create(account=world.other_account)
    services.team_member_add(
        user=world.kam, plan=active, role="sponsor", member_user_id=world.executive.pk
    )
    services.team_member_add(user=world.kam, plan=active, role="other", contact_id=theirs.pk)
    with pytest.raises(ValidationError):
        services.team_member_add(user=world.kam, plan=active, role="other", contact_id=stranger.pk)
    with pytest.raises(ValidationError):
        services.team_member_add(
            user=world.kam,
            plan=active,
            role="other",
            member_user_id=world.kam.pk,
            contact_id=theirs.pk,
        )
    assert JointTeamMember.objects.count() == 2
