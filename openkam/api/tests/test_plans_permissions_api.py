"""Every plans and risks route tried by every persona: the account's KAM, its team's director
and an executive work the plan; only the director and executives decide (approve, return,
grant); another team's KAM finds nothing (404, or 403 when the body names the account);
analysts and viewers read and are refused writes; no token is a 401. A refused write saves
nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.plans.models import (
    AccountPlan,
    Action,
    Objective,
    PlanReview,
    PlanStatus,
    ResourceRequest,
    Risk,
)
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
# What each persona gets, by kind of route.
READ = {"other_kam": 404, "anonymous": 401}
READ_LIST = {"anonymous": 401}  # another team's KAM gets an empty list
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
# Another team's account named in the body reads as an unknown one (issue 17: no oracle).
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}
DECIDE = {"kam": 403, "other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict[str, Any] | None]]
    refusals: dict[str, int]
    ok: int = 200


def _draft(world: World) -> AccountPlan:
    return plan(world.account)


def _with_objective(world: World, status: str = PlanStatus.DRAFT) -> AccountPlan:
    found = plan(world.account, status=status)
    objective(found, metric="free_text", target=None, baseline=None, description="进入新品线")
    return found


def _active(world: World) -> AccountPlan:
    return _with_objective(world, PlanStatus.ACTIVE)


def _action(world: World) -> Action:
    found = _active(world)
    return Action.objects.create(
        plan=found, title="安排技术交流", owner=world.kam, due_on=found.period_end
    )


def _resource(world: World) -> ResourceRequest:
    return ResourceRequest.objects.create(
        plan=_active(world), function="rnd", reason="样品测试", person_days=Decimal(10)
    )


def _risk(world: World) -> Risk:
    return Risk.objects.create(
        account=world.account,
        source="customer",
        category="competition",
        description="竞争对手降价",
        probability="high",
        impact="medium",
        rating="significant",
        owner=world.kam,
    )


ROUTES = [
    Route("list plans", "get", lambda w: ("/plans", None), READ_LIST),
    Route(
        "create a plan",
        "post",
        lambda w: (
            "/plans",
            {"account_id": w.account.pk, "period_start": "2027-01-01", "period_end": "2027-12-31"},
        ),
        WORK_BODY,
        201,
    ),
    Route("read a plan", "get", lambda w: (f"/plans/{_draft(w).pk}", None), READ),
    Route(
        "edit a plan",
        "patch",
        lambda w: (f"/plans/{_draft(w).pk}", {"customer_goals": "扩大华东产能"}),
        WORK,
    ),
    Route("list objectives", "get", lambda w: (f"/plans/{_draft(w).pk}/objectives", None), READ),
    Route(
        "add an objective",
        "post",
        lambda w: (
            f"/plans/{_draft(w).pk}/objectives",
            {"metric": "free_text", "description": "成为首选供应商"},
        ),
        WORK,
        201,
    ),
    Route(
        "edit an objective",
        "patch",
        lambda w: (
            f"/objectives/{_with_objective(w).objectives.get().pk}",
            {"description": "成为唯一供应商"},
        ),
        WORK,
    ),
    Route("list actions", "get", lambda w: (f"/plans/{_active(w).pk}/actions", None), READ),
    Route(
        "add an action",
        "post",
        lambda w: (
            f"/plans/{_active(w).pk}/actions",
            {"title": "拜访采购总监", "due_on": "2026-06-30"},
        ),
        WORK,
        201,
    ),
    Route(
        "edit an action",
        "patch",
        lambda w: (f"/actions/{_action(w).pk}", {"due_on": "2026-09-30"}),
        WORK,
    ),
    Route("submit", "post", lambda w: (f"/plans/{_with_objective(w).pk}/submit", {}), WORK),
    Route(
        "approve",
        "post",
        lambda w: (f"/plans/{_with_objective(w, PlanStatus.SUBMITTED).pk}/approve", {}),
        DECIDE,
    ),
    Route(
        "return",
        "post",
        lambda w: (
            f"/plans/{_with_objective(w, PlanStatus.SUBMITTED).pk}/return",
            {"comment": "请补充竞争分析"},
        ),
        DECIDE,
    ),
    Route("close", "post", lambda w: (f"/plans/{_active(w).pk}/close", {}), WORK),
    Route("list resources", "get", lambda w: (f"/plans/{_active(w).pk}/resources", None), READ),
    Route(
        "ask for resources",
        "post",
        lambda w: (
            f"/plans/{_active(w).pk}/resources",
            {"function": "rnd", "reason": "样品测试", "person_days": "10"},
        ),
        WORK,
        201,
    ),
    Route(
        "decide resources",
        "post",
        lambda w: (f"/resources/{_resource(w).pk}/decide", {"decision": "granted"}),
        DECIDE,
    ),
    Route("list reviews", "get", lambda w: (f"/plans/{_active(w).pk}/reviews", None), READ),
    Route(
        "review a plan",
        "post",
        lambda w: (f"/plans/{_active(w).pk}/reviews", {"decisions": "加快样品认证"}),
        WORK,
        201,
    ),
    Route("list risks", "get", lambda w: ("/risks", None), READ_LIST),
    Route(
        "record a risk",
        "post",
        lambda w: (
            "/risks",
            {
                "account_id": w.account.pk,
                "source": "ours",
                "category": "delivery",
                "description": "产能不足",
                "probability": "medium",
                "impact": "high",
            },
        ),
        WORK_BODY,
        201,
    ),
    Route("read a risk", "get", lambda w: (f"/risks/{_risk(w).pk}", None), READ),
    Route(
        "edit a risk",
        "patch",
        lambda w: (f"/risks/{_risk(w).pk}", {"status": "closed"}),
        WORK,
    ),
]


def stored(world: World) -> list[Any]:
    """Everything a plans route could write, to compare before and after a refusal."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (AccountPlan, Objective, Action, ResourceRequest, Risk, PlanReview)
    ]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_each_persona_gets_what_its_role_allows(
    world: World, api: dict[str, ApiClient], route: Route, persona: str
) -> None:
    path, body = route.build(world)
    client = api.get(persona) or ApiClient(None)
    before = stored(world)
    if route.method == "get":
        response = client.get(path)
    else:
        response = getattr(client, route.method)(path, body)
    expected = route.refusals.get(persona, route.ok)
    assert response.status_code == expected, response.json()
    if expected >= 400:
        assert response.json()["code"]
        assert stored(world) == before
    if route.refusals is READ_LIST and persona == "other_kam":
        assert response.json()["count"] == 0
