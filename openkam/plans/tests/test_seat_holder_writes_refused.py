"""A seat on an account's team shows its plan but never lets its holder change it, whatever
their role: every plan write (the plan itself, its parts, its risks) asks the one rule,
accounts_editable_by, not the role alone. The account's KAM and the director still write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import AccountTeamMember, AccountTeamRole
from openkam.conftest import World, client_for
from openkam.plans.models import Risk, SwotItem
from openkam.plans.tests.builders import plan
from openkam.team.models import User

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _seated(world: World) -> User:
    """Another team's KAM (a role that writes) seated on the account's team as support."""
    AccountTeamMember.objects.create(
        account=world.account, user=world.other_kam, role=AccountTeamRole.OTHER
    )
    return world.other_kam


def _swot(world: World) -> SwotItem:
    return SwotItem.objects.create(plan=plan(world.account), kind="strength", text="交付稳定")


def _risk(world: World) -> Risk:
    return Risk.objects.create(
        account=world.account, owner=world.kam, source="ours", category="delivery",
        description="交付延迟", probability="low", impact="low", rating="proceed", status="open",
    )  # fmt: skip


def _swot_post(item: SwotItem, text: str) -> dict[str, str]:
    return {f"swot-{item.pk}-kind": "strength", f"swot-{item.pk}-text": text}


def test_a_seat_holder_sees_the_plan_but_may_not_change_a_part_of_it(world: World) -> None:
    item = _swot(world)
    client = client_for(_seated(world))
    assert client.get(reverse("plans:detail", args=[item.plan_id])).status_code == 200
    url = reverse("plans:part_edit", args=[item.plan_id, "swot", item.pk])
    assert client.get(url, headers=HTMX).status_code == 403
    response = client.post(url, _swot_post(item, "改"), headers=HTMX)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text == "交付稳定"


def test_a_seat_holder_may_not_change_the_plans_texts(world: World) -> None:
    item = _swot(world)
    url = reverse("plans:texts", args=[item.plan_id])
    response = client_for(_seated(world)).post(url, {"title": "改过的标题"}, headers=HTMX)
    assert response.status_code == 403
    item.plan.refresh_from_db()
    assert item.plan.title != "改过的标题"


def test_a_seat_holder_may_not_change_a_risk_of_the_account(world: World) -> None:
    risk = _risk(world)
    client = client_for(_seated(world))
    url = reverse("plans:risk_edit", args=[risk.pk])
    assert client.get(url, headers=HTMX).status_code == 403
    data = {f"k{risk.pk}-description": "改", f"k{risk.pk}-probability": "high"}
    assert client.post(url, data, headers=HTMX).status_code == 403
    risk.refresh_from_db()
    assert (risk.description, risk.probability) == ("交付延迟", "low")


@pytest.mark.parametrize("persona", ["kam", "director"])
def test_the_accounts_kam_and_director_still_change_the_plan(world: World, persona: str) -> None:
    _seated(world)
    item = _swot(world)
    risk = _risk(world)
    client = client_for(getattr(world, persona))
    url = reverse("plans:part_edit", args=[item.plan_id, "swot", item.pk])
    assert client.post(url, _swot_post(item, "交付准时率 98%"), headers=HTMX).status_code == 200
    item.refresh_from_db()
    assert item.text == "交付准时率 98%"
    assert client.get(reverse("plans:risk_edit", args=[risk.pk]), headers=HTMX).status_code == 200
