"""An interaction's next step becomes an action of the account's working plan: the button on
the timeline, the form prefilled from the step, the action linked to the interaction; an
account without an open plan says so and links to creating one. Refusals per persona with
nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.interactions.models import Interaction
from openkam.interactions.tests.builders import interaction
from openkam.plans.models import AccountPlan, Action, PlanStatus
from openkam.plans.selectors import working_plan
from openkam.plans.tests.builders import plan

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 20)


def _step(world: World, account: str = "account") -> Interaction:
    return interaction(
        getattr(world, account),
        day=dt.date(2026, 3, 2),
        subject="季度业务回顾",
        next_step="寄送新型门机样件",
        next_step_due=DUE,
        next_step_owner=world.kam,
    )


def _url(step: Interaction) -> str:
    return reverse("plans:action_from_step", args=[step.pk])


def test_the_timeline_offers_the_step_as_a_plan_action_to_writers_only(
    world: World, english: None
) -> None:
    step = _step(world)
    timeline = reverse("interactions:timeline", args=[world.account.pk])
    content = client_for(world.kam).get(timeline).content.decode()
    assert 'data-testid="step-to-action"' in content
    assert _url(step) in content
    viewer_content = client_for(world.viewer).get(timeline).content.decode()
    assert 'data-testid="step-to-action"' not in viewer_content
    Interaction.objects.filter(pk=step.pk).update(next_step_done=True)
    content = client_for(world.kam).get(timeline).content.decode()
    assert 'data-testid="step-to-action"' not in content


def test_the_form_is_prefilled_from_the_step_on_the_active_plan(world: World) -> None:
    plan(world.account, year=2025, status=PlanStatus.CLOSED)
    plan(world.account, year=2027, status=PlanStatus.DRAFT)
    active = plan(world.account, year=2026, status=PlanStatus.ACTIVE)
    step = _step(world)
    response = client_for(world.kam).get(_url(step))
    assert response.status_code == 200
    assert response.context["plan"] == active
    form = response.context["form"]
    assert form.initial == {"title": "寄送新型门机样件", "owner_id": world.kam.pk, "due_on": DUE}
    content = response.content.decode()
    assert 'value="寄送新型门机样件"' in content
    assert 'value="2026-03-20"' in content
    assert active.get_absolute_url() in content


def test_without_an_active_plan_the_draft_takes_the_action() -> None:
    """The order of preference, read by the selector."""
    from openkam.factories import AccountFactory

    account = AccountFactory.create()
    assert working_plan(account) is None
    plan(account, year=2026, status=PlanStatus.CLOSED)
    assert working_plan(account) is None
    draft = plan(account, year=2027, status=PlanStatus.DRAFT)
    assert working_plan(account) == draft
    submitted = plan(account, year=2025, status=PlanStatus.SUBMITTED)
    assert working_plan(account) == submitted
    approved = plan(account, year=2024, status=PlanStatus.APPROVED)
    assert working_plan(account) == approved


@pytest.mark.parametrize("persona", ["kam", "director", "executive"])
def test_a_writer_saves_the_step_as_an_action_linked_to_the_interaction(
    world: World, persona: str
) -> None:
    draft = plan(world.account, year=2026, status=PlanStatus.DRAFT)
    step = _step(world)
    response = client_for(getattr(world, persona)).post(
        _url(step),
        {
            "title": "寄送新型门机样件并安排测试",
            "owner_id": str(world.kam.pk),
            "due_on": "2026-03-25",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{draft.get_absolute_url()}#action-{action.pk}"
    assert (action.plan, action.interaction, action.owner) == (draft, step, world.kam)
    assert (action.title, action.due_on) == ("寄送新型门机样件并安排测试", dt.date(2026, 3, 25))
    assert action.history.count() == 1
    page = client_for(world.kam).get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="action-from-step"' in page
    assert "季度业务回顾" in page
    again = client_for(world.kam).get(_url(step)).content.decode()
    assert 'data-testid="step-linked"' in again


def test_a_refused_action_names_the_field_and_saves_nothing(world: World) -> None:
    plan(world.account, year=2026, status=PlanStatus.ACTIVE)
    step = _step(world)
    response = client_for(world.kam).post(
        _url(step), {"title": "", "owner_id": str(world.kam.pk), "due_on": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="error-title"' in content
    assert 'data-testid="error-due_on"' in content
    assert not Action.objects.exists()


def test_an_account_without_an_open_plan_links_to_creating_one(world: World) -> None:
    plan(world.account, year=2025, status=PlanStatus.CLOSED)
    step = _step(world)
    client = client_for(world.kam)
    response = client.get(_url(step))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="step-no-plan"' in content
    assert reverse("plans:create", args=[world.account.pk]) in content
    assert 'data-testid="form-step"' not in content
    client.post(_url(step), {"title": "x", "owner_id": str(world.kam.pk), "due_on": "2026-03-25"})
    assert not Action.objects.exists()
    assert AccountPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 403), ("viewer", 403), ("other_kam", 404)]
)
def test_who_may_not_write_the_account_gets_no_form_and_saves_nothing(
    world: World, persona: str, status: int
) -> None:
    plan(world.account, year=2026, status=PlanStatus.ACTIVE)
    step = _step(world)
    client = client_for(getattr(world, persona))
    assert client.get(_url(step)).status_code == status
    data = {"title": "x", "owner_id": str(world.kam.pk), "due_on": "2026-03-25"}
    assert client.post(_url(step), data).status_code == status
    assert not Action.objects.exists()


def test_anonymous_goes_to_login_and_a_step_less_interaction_is_404(world: World) -> None:
    plan(world.account, year=2026, status=PlanStatus.ACTIVE)
    step = _step(world)
    response = Client().get(_url(step))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    Interaction.objects.filter(pk=step.pk).update(next_step="")
    assert client_for(world.kam).get(_url(step)).status_code == 404
