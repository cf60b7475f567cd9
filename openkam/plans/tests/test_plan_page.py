"""The plan page: every section shown, the actions each persona may take, inline writes
through htmx, refusals (404 for another team, 403 for reading roles, nothing saved) and a
pinned number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.plans import services
from openkam.plans.models import (
    AccountPlan,
    Action,
    ActionStatus,
    Objective,
    PlanReview,
    PlanStatus,
    ResourceRequest,
    Risk,
    SwotItem,
    ValueItem,
)
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _year() -> int:
    return timezone.localdate().year


def _full_plan(world: World, status: str = PlanStatus.DRAFT) -> AccountPlan:
    draft = plan(world.account, year=_year(), status=status, customer_goals="扩大华东产能")
    objective(draft, description="营收增长")
    SwotItem.objects.create(plan=draft, kind="strength", text="交付稳定")
    SwotItem.objects.create(plan=draft, kind="threat", text="竞品低价")
    Action.objects.create(
        plan=draft, title="拜访采购总监", owner=world.kam, due_on=dt.date(2000, 1, 1)
    )
    ResourceRequest.objects.create(
        plan=draft, function="rnd", person_days=Decimal("10"), reason="联合开发"
    )
    ValueItem.objects.create(plan=draft, component="product", amount=Decimal("500000"))
    ValueItem.objects.create(plan=draft, component="money", amount=Decimal("300000"))
    ValueItem.objects.create(plan=draft, component="service", score=4)
    ValueItem.objects.create(plan=draft, component="time", score=1)
    Risk.objects.create(
        account=world.account,
        plan=draft,
        source="customer",
        category="competition",
        description="竞品低价抢单",
        probability="high",
        impact="high",
        rating="show_stopper",
        owner=world.kam,
    )
    return draft


def test_the_kam_sees_every_section_with_its_forms(world: World, english: None) -> None:
    draft = _full_plan(world)
    response = client_for(world.kam).get(reverse("plans:detail", args=[draft.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for section in (
        "customer",
        "swot",
        "objectives",
        "strategies",
        "actions",
        "resources",
        "team",
        "value",
        "risks",
        "reviews",
        "history",
    ):
        assert f'data-testid="section-{section}"' in content
    assert "扩大华东产能" in content
    assert "交付稳定" in content
    assert "竞品低价抢单" in content
    assert 'data-testid="action-overdue"' in content
    assert 'data-testid="plan-submit"' in content
    assert 'data-testid="plan-approve"' not in content
    assert 'data-testid="form-objective"' in content
    # Amounts 500,000 - 300,000; scores 4 - 1.
    assert 'data-testid="delivered-amount"><span class="okam-money" title="¥200,000">' in content
    assert 'data-testid="delivered-score">3<' in content


@pytest.mark.parametrize("persona", ["analyst", "viewer"])
def test_reading_roles_see_the_plan_without_forms(world: World, persona: str) -> None:
    draft = _full_plan(world)
    content = client_for(getattr(world, persona)).get(draft.get_absolute_url()).content.decode()
    assert "交付稳定" in content
    assert 'data-testid="form-' not in content
    assert 'data-testid="plan-submit"' not in content


def test_another_teams_kam_gets_404_and_anonymous_goes_to_login(world: World) -> None:
    draft = _full_plan(world)
    assert client_for(world.other_kam).get(draft.get_absolute_url()).status_code == 404
    response = Client().get(draft.get_absolute_url())
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# 26 with the joint projects (their members are two more queries once the plan lists one).
PAGE_QUERIES = 26


def test_the_page_runs_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    draft = _full_plan(world)
    client = client_for(world.kam)
    client.get(draft.get_absolute_url())
    with django_assert_num_queries(PAGE_QUERIES):
        small = client.get(draft.get_absolute_url())
    for n in range(5):
        objective(draft, description=f"目标{n}")
        Action.objects.create(plan=draft, title=f"行动{n}", owner=world.kam, due_on=dt.date.today())
        SwotItem.objects.create(plan=draft, kind="weakness", text=f"弱项{n}")
    with django_assert_num_queries(PAGE_QUERIES):
        large = client.get(draft.get_absolute_url())
    assert small.status_code == large.status_code == 200


def test_a_kam_adds_an_objective_inline(world: World) -> None:
    draft = plan(world.account, year=_year())
    url = reverse("plans:part_add", args=[draft.pk, "objective"])
    response = client_for(world.kam).post(
        url,
        {"metric": "free_text", "description": "进入新产线"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#plan-body"
    assert "进入新产线" in response.content.decode()
    assert draft.objectives.get().description == "进入新产线"


def test_a_refused_objective_names_the_field_and_saves_nothing(world: World) -> None:
    draft = plan(world.account, year=_year())
    url = reverse("plans:part_add", args=[draft.pk, "objective"])
    response = client_for(world.kam).post(
        url, {"metric": "revenue", "description": "营收"}, headers=HTMX
    )
    content = response.content.decode()
    assert 'data-testid="error-target"' in content
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 403), ("viewer", 403), ("other_kam", 404)]
)
@pytest.mark.parametrize(
    ("part", "data"),
    [
        ("swot", {"kind": "strength", "text": "x"}),
        ("objective", {"metric": "free_text", "description": "x"}),
        ("value", {"component": "product", "score": "3"}),
    ],
)
def test_who_may_not_write_cannot_add_parts(
    world: World, persona: str, status: int, part: str, data: dict[str, str]
) -> None:
    draft = plan(world.account, year=_year())
    url = reverse("plans:part_add", args=[draft.pk, part])
    assert client_for(getattr(world, persona)).post(url, data).status_code == status
    assert not (SwotItem.objects.exists())
    assert not (Objective.objects.exists())
    assert not ValueItem.objects.exists()


def test_an_approved_plan_shows_its_frame_read_only_and_refuses_frame_writes(
    world: World, english: None
) -> None:
    active = _full_plan(world, status=PlanStatus.ACTIVE)
    client = client_for(world.kam)
    content = client.get(active.get_absolute_url()).content.decode()
    assert 'data-testid="form-swot"' not in content
    assert 'data-testid="form-objective"' not in content
    assert 'data-testid="form-action"' in content
    url = reverse("plans:part_add", args=[active.pk, "swot"])
    response = client.post(url, {"kind": "strength", "text": "新增"}, headers=HTMX)
    assert "only a draft can be changed" in response.content.decode()
    assert not SwotItem.objects.filter(text="新增").exists()


def test_submit_then_the_director_approves_and_a_kam_may_not(world: World) -> None:
    draft = _full_plan(world)
    kam = client_for(world.kam)
    kam.post(reverse("plans:transition", args=[draft.pk, "submit"]), headers=HTMX)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED
    content = kam.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="plan-approve"' not in content
    kam.post(reverse("plans:transition", args=[draft.pk, "approve"]), headers=HTMX)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED
    director = client_for(world.director)
    assert 'data-testid="plan-approve"' in director.get(draft.get_absolute_url()).content.decode()
    director.post(reverse("plans:transition", args=[draft.pk, "approve"]), headers=HTMX)
    draft.refresh_from_db()
    assert draft.status in (PlanStatus.ACTIVE, PlanStatus.APPROVED)


def test_return_needs_a_comment_and_shows_it(world: World, english: None) -> None:
    draft = _full_plan(world, status=PlanStatus.SUBMITTED)
    director = client_for(world.director)
    url = reverse("plans:transition", args=[draft.pk, "return"])
    response = director.post(url, {"comment": ""}, headers=HTMX)
    assert 'data-testid="error-comment"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED
    response = director.post(url, {"comment": "目标太低"}, headers=HTMX)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    assert "目标太低" in response.content.decode()


def test_an_action_is_done_then_reopened_inline(world: World) -> None:
    draft = _full_plan(world)
    action = draft.actions.get()
    client = client_for(world.kam)
    url = reverse("plans:action_status", args=[action.pk])
    client.post(url, {"status": "done"}, headers=HTMX)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_on is not None
    client.post(url, {"status": "open"}, headers=HTMX)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert action.done_on is None


def test_the_viewer_cannot_mark_an_action_done(world: World) -> None:
    draft = _full_plan(world)
    action = draft.actions.get()
    url = reverse("plans:action_status", args=[action.pk])
    assert client_for(world.viewer).post(url, {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_director_decides_a_resource_request(world: World) -> None:
    draft = _full_plan(world, status=PlanStatus.ACTIVE)
    resource = draft.resources.get()
    url = reverse("plans:resource_decide", args=[resource.pk])
    prefix = f"r{resource.pk}"
    refused = client_for(world.kam).post(url, {f"{prefix}-decision": "granted"}, headers=HTMX)
    assert refused.status_code == 403
    response = client_for(world.director).post(
        url, {f"{prefix}-decision": "partly", f"{prefix}-granted_person_days": "5"}, headers=HTMX
    )
    assert response.status_code == 200
    resource.refresh_from_db()
    assert (resource.decision, resource.granted_person_days) == ("partly", Decimal("5.0"))


def test_a_team_member_of_theirs_is_a_contact(world: World) -> None:
    draft = plan(world.account, year=_year())
    buyer = ContactFactory.create(account=world.account, name="王经理", title="采购总监")
    url = reverse("plans:part_add", args=[draft.pk, "member"])
    client_for(world.kam).post(url, {"role": "other", "contact_id": str(buyer.pk)}, headers=HTMX)
    assert draft.team_members.get().contact == buyer


def test_a_review_is_previewed_then_saved_with_its_figures(world: World, english: None) -> None:
    active = _full_plan(world, status=PlanStatus.ACTIVE)
    client = client_for(world.kam)
    preview = client.get(reverse("plans:review_preview", args=[active.pk]), headers=HTMX)
    assert 'data-testid="review-preview-figures"' in preview.content.decode()
    assert not PlanReview.objects.exists()
    url = reverse("plans:part_add", args=[active.pk, "review"])
    response = client.post(url, {"decisions": "加派研发"}, headers=HTMX)
    assert response.status_code == 200
    review = PlanReview.objects.get()
    assert review.decisions == "加派研发"
    assert "before" in review.figures
    assert "Relationship stage" in response.content.decode()


def test_a_stale_plan_is_flagged(world: World) -> None:
    active = _full_plan(world, status=PlanStatus.ACTIVE)
    AccountPlan.objects.filter(pk=active.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=150)
    )
    content = client_for(world.kam).get(active.get_absolute_url()).content.decode()
    assert 'data-testid="plan-stale"' in content


def test_the_history_lists_who_changed_what(world: World) -> None:
    draft = services.plan_create(user=world.kam, account_id=world.account.pk)
    services.swot_add(user=world.kam, plan=draft, kind="strength", text="交付稳定")
    content = client_for(world.kam).get(draft.get_absolute_url()).content.decode()
    assert content.count('data-testid="history-entry"') >= 2
    assert str(world.kam) in content


def test_objective_edit_inline(world: World) -> None:
    draft = plan(world.account, year=_year())
    target = objective(draft, description="营收增长")
    client = client_for(world.kam)
    url = reverse("plans:objective_edit", args=[target.pk])
    assert 'data-testid="form-objective-edit"' in client.get(url, headers=HTMX).content.decode()
    prefix = f"o{target.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-metric": "revenue",
            f"{prefix}-description": "营收增长两成",
            f"{prefix}-target": "1500000",
        },
        headers=HTMX,
    )
    assert response["HX-Retarget"] == "#plan-body"
    target.refresh_from_db()
    assert (target.description, target.target) == ("营收增长两成", Decimal("1500000.00"))
    assert client_for(world.viewer).get(url).status_code == 403


def test_review_figures_read_as_money_percentages_and_stage_names(world: World) -> None:
    from django.template import Context, Template

    figures = {
        "before": {"revenue_12m": "10500000.00", "share_of_wallet": 0.4, "margin_rate": "21.5"},
        "after": {"revenue_12m": "11000000.00", "share_of_wallet": 0.45, "margin_rate": "22.0"},
        "stage_before": "early",
        "stage_after": "mid",
    }
    with translation.override("en"):
        html = Template('{% include "plans/_review_figures.html" %}').render(
            Context({"figures": figures})
        )
    assert "¥10,500,000" in html
    assert "¥11,000,000" in html
    assert "40.0%" in html
    assert "21.5%" in html
    assert "10500000.00" not in html
    assert ">pre<" not in html
    assert "Early KAM" in html
    assert "Mid KAM" in html


def test_the_texts_of_a_draft_are_edited_and_only_the_notes_once_approved(world: World) -> None:
    draft = plan(world.account, year=_year())
    client = client_for(world.kam)
    url = reverse("plans:texts", args=[draft.pk])
    client.post(
        url, {"title": "2026 计划", "customer_goals": "扩产", "internal_notes": ""}, headers=HTMX
    )
    draft.refresh_from_db()
    assert (draft.title, draft.customer_goals) == ("2026 计划", "扩产")
    AccountPlan.objects.filter(pk=draft.pk).update(status=PlanStatus.ACTIVE)
    client.post(url, {"title": "改名", "internal_notes": "跟进价格"}, headers=HTMX)
    draft.refresh_from_db()
    assert (draft.title, draft.internal_notes) == ("2026 计划", "跟进价格")
    assert client_for(world.viewer).post(url, {"internal_notes": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.internal_notes == "跟进价格"


def test_a_part_of_a_draft_is_removed_and_not_from_another_plan(world: World) -> None:
    draft = plan(world.account, year=_year())
    item = SwotItem.objects.create(plan=draft, kind="threat", text="竞品低价")
    other = plan(world.account, year=_year() - 1)
    url = reverse("plans:part_delete", args=[other.pk, "swot", item.pk])
    assert client_for(world.kam).post(url, headers=HTMX).status_code == 404
    assert (
        client_for(world.viewer)
        .post(reverse("plans:part_delete", args=[draft.pk, "swot", item.pk]))
        .status_code
        == 403
    )
    assert SwotItem.objects.filter(pk=item.pk).exists()
    client_for(world.kam).post(
        reverse("plans:part_delete", args=[draft.pk, "swot", item.pk]), headers=HTMX
    )
    assert not SwotItem.objects.filter(pk=item.pk).exists()
