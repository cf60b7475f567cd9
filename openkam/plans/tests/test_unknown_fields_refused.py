"""Every service that takes a dict of changes refuses a field it does not write, with one
sentence naming it, before anything is saved; and the margin rate is one rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from openkam.common.errors import ValidationError
from openkam.conftest import World
from openkam.plans import services
from openkam.plans.models import Action, PlanStatus, Risk, SwotItem
from openkam.plans.selectors import margin_rate
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db


def _calls(world: World) -> dict[str, Callable[[dict[str, Any]], object]]:
    draft = plan(world.account, status=PlanStatus.DRAFT)
    goal = objective(draft)
    action = Action.objects.create(
        plan=draft, title="拜访", owner=world.kam, due_on=dt.date(2026, 5, 1)
    )
    risk = Risk.objects.create(
        account=world.account, source="ours", category="quality", description="质量",
        probability="low", impact="low", rating="caution", owner=world.kam,
    )  # fmt: skip
    swot = SwotItem.objects.create(plan=draft, kind="strength", text="交付稳定")
    kam = world.kam
    return {
        "plan_update": lambda c: services.plan_update(user=kam, plan=draft, changes=c),
        "objective_update": lambda c: services.objective_update(
            user=kam, objective=goal, changes=c
        ),
        "action_update": lambda c: services.action_update(user=kam, action=action, changes=c),
        "risk_create": lambda c: services.risk_create(
            user=kam, account_id=world.account.pk, fields=c
        ),
        "risk_update": lambda c: services.risk_update(user=kam, risk=risk, changes=c),
        "swot_update": lambda c: services.swot_update(user=kam, item=swot, changes=c),
    }


SERVICES = [
    "plan_update",
    "objective_update",
    "action_update",
    "risk_create",
    "risk_update",
    "swot_update",
]


@pytest.mark.parametrize("service", SERVICES)
def test_an_unknown_field_is_refused_by_name_and_nothing_is_saved(
    world: World, service: str
) -> None:
    call = _calls(world)[service]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call({"title": "x", "text": "x", "description": "x", "zz_secret": 1, "account_id": 2})
    message = refused.value.messages[0]
    assert message.startswith("Unknown fields: ")
    assert "zz_secret" in message
    assert Risk.objects.count() == 1
    assert SwotItem.objects.get().text == "交付稳定"
    assert Action.objects.get().title == "拜访"


def test_the_margin_rate_is_the_gross_margin_in_percent_to_the_cent() -> None:
    assert margin_rate(Decimal("300"), Decimal("200")) == Decimal("33.33")
    assert margin_rate(Decimal("200"), Decimal("250")) == Decimal("-25.00")
    assert margin_rate(Decimal("0"), Decimal("10")) is None
