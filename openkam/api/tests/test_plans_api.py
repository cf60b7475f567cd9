"""/plans: the plan's cycle through the API (draft -> submitted -> returned or approved ->
active -> reviewed -> closed), the filters of the list, the whole plan on read, and the
services' refusals as 422s naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.plans.models import (
    AccountPlan,
    Action,
    JointTeamMember,
    Objective,
    PlanStatus,
    ResourceRequest,
    Strategy,
    SwotItem,
    ValueItem,
)
from openkam.plans.tests.builders import objective, plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def errors_of(response: object) -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 422, body  # type: ignore[attr-defined]
    return {error["field"] for error in body["errors"]}


def test_the_plan_cycle_through_the_api(world: World, api: dict[str, ApiClient]) -> None:
    kam, director = api["kam"], api["dir"]
    created = kam.post(
        "/plans",
        {"account_id": world.account.pk, "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert created.status_code == 201, created.json()
    url = f"/plans/{created.json()['id']}"
    assert created.json()["status"] == "draft"
    assert "2026" in created.json()["title"]

    assert kam.post(f"{url}/submit", {}).json()["errors"][0]["message"].startswith("Add at least")
    added = kam.post(
        f"{url}/objectives",
        {"metric": "gross_margin", "description": "毛利率提升", "baseline": "18", "target": "22"},
    )
    assert added.status_code == 201, added.json()
    assert kam.post(f"{url}/submit", {}).json()["status"] == "submitted"
    assert errors_of(kam.patch(url, {"title": "改"})) == {"__all__"}  # no longer a draft

    assert kam.post(f"{url}/return", {"comment": "再想想"}).status_code == 403
    assert errors_of(director.post(f"{url}/return", {"comment": " "})) == {"comment"}
    returned = director.post(f"{url}/return", {"comment": "请补充竞争分析"}).json()
    assert (returned["status"], returned["return_comment"]) == ("draft", "请补充竞争分析")
    assert returned["decided_by_id"] == world.director.pk

    kam.post(f"{url}/submit", {})
    approved = director.post(f"{url}/approve", {}).json()
    assert approved["status"] in ("approved", "active")
    assert errors_of(director.post(f"{url}/approve", {})) == {"__all__"}
    AccountPlan.objects.filter(pk=approved["id"]).update(status=PlanStatus.ACTIVE)

    review = kam.post(f"{url}/reviews", {"decisions": "加快样品认证", "held_on": "2026-06-30"})
    assert review.status_code == 201, review.json()
    assert review.json()["figures"]["objectives"][0]["description"] == "毛利率提升"
    closed = kam.post(f"{url}/close", {}).json()
    assert closed["status"] == "closed"
    assert closed["closed_at"]
    assert [r["decisions"] for r in closed["reviews"]] == ["加快样品认证"]
    assert errors_of(kam.patch(url, {"internal_notes": "x"})) == {"__all__"}
    assert AccountPlan.objects.get().status == PlanStatus.CLOSED


def test_creation_refusals_name_their_field(world: World, api: dict[str, ApiClient]) -> None:
    body = {"account_id": world.account.pk}
    assert api["kam"].post("/plans", body).status_code == 201
    assert errors_of(api["kam"].post("/plans", body)) == {"period_start"}
    assert errors_of(api["kam"].post("/plans", {"account_id": 999999})) == {"account_id"}
    assert errors_of(api["kam"].post("/plans", body | {"colour": "red"})) == {"colour"}
    later = {"account_id": world.account.pk, "period_start": "2027-03-01"}
    assert errors_of(api["kam"].post("/plans", later)) == {"period_end"}
    backwards = later | {"period_end": "2027-01-01"}
    # The model's constraint (the period ends after it starts) names no field.
    assert errors_of(api["kam"].post("/plans", backwards)) == {""}
    assert AccountPlan.objects.count() == 1


def test_a_draft_is_edited_field_by_field(world: World, api: dict[str, ApiClient]) -> None:
    draft = plan(world.account)
    url = f"/plans/{draft.pk}"
    edited = api["kam"].patch(
        url, {"customer_goals": "三年内成为行业前三", "owner_id": world.director.pk}
    )
    assert edited.status_code == 200, edited.json()
    draft.refresh_from_db()
    assert (draft.customer_goals, draft.owner_id) == ("三年内成为行业前三", world.director.pk)
    assert draft.title == f"{world.account} 2026"  # not sent, not changed
    assert errors_of(api["kam"].patch(url, {"owner_id": 999999})) == {"owner_id"}
    assert errors_of(api["kam"].patch(url, {"period_end": "2025-01-01"})) == {""}
    draft.refresh_from_db()
    assert draft.period_end == dt.date(2026, 12, 31)


def test_the_list_filters_by_account_status_and_year(
    world: World, api: dict[str, ApiClient]
) -> None:
    mine = plan(world.account, year=2026, status=PlanStatus.ACTIVE)
    older = plan(world.account, year=2025, status=PlanStatus.CLOSED)
    theirs = plan(world.other_account, year=2026)
    listed = api["exec"].get("/plans").json()
    assert [p["id"] for p in listed["items"]] == [mine.pk, theirs.pk, older.pk]
    assert api["exec"].get("/plans", {"year": 2025}).json()["items"][0]["id"] == older.pk
    assert api["exec"].get("/plans", {"status": "active"}).json()["count"] == 1
    by_account = api["exec"].get("/plans", {"account_id": world.other_account.pk}).json()
    assert [p["id"] for p in by_account["items"]] == [theirs.pk]
    assert api["kam"].get("/plans").json()["count"] == 2
    assert errors_of(api["kam"].get("/plans", {"status": "lost"})) == {"status"}
    assert api["exec"].get("/plans", {"page_size": 1}).json()["count"] == 3


def test_the_plan_is_read_whole_in_a_fixed_number_of_queries(
    world: World, api: dict[str, ApiClient]
) -> None:
    draft = plan(world.account)
    aim = objective(draft)
    strategy = Strategy.objects.create(plan=draft, description="联合开发")
    strategy.objectives.add(aim)
    SwotItem.objects.create(plan=draft, kind="weakness", text="交付周期长")
    Action.objects.create(plan=draft, title="技术交流", owner=world.kam, due_on=draft.period_end)
    ResourceRequest.objects.create(plan=draft, function="rnd", reason="样品", amount=Decimal(5))
    JointTeamMember.objects.create(plan=draft, user=world.kam, role="kam")
    contact = ContactFactory.create(account=world.account)
    JointTeamMember.objects.create(plan=draft, contact=contact, role="other")
    ValueItem.objects.create(plan=draft, component="time", score=2)
    with CaptureQueriesContext(connection) as queries:
        body = api["viewer"].get(f"/plans/{draft.pk}").json()
    assert body["strategies"][0]["objective_ids"] == [aim.pk]
    assert body["objectives"][0]["target"] == "1200000.00"
    assert body["swot_items"][0]["kind"] == "weakness"
    assert body["actions"][0]["owner_id"] == world.kam.pk
    assert body["resources"][0]["amount"] == "5.00"
    assert {m["contact_id"] for m in body["team_members"]} == {None, contact.pk}
    assert body["value_items"][0]["side"] == "cost"
    assert body["reviews"] == []
    assert len(queries) <= 16, [q["sql"] for q in queries.captured_queries]


def test_objectives_and_actions_refuse_by_field(world: World, api: dict[str, ApiClient]) -> None:
    draft = plan(world.account)
    other = objective(plan(world.account, year=2027))
    url = f"/plans/{draft.pk}"
    kam = api["kam"]
    assert errors_of(
        kam.post(f"{url}/objectives", {"metric": "revenue", "description": "营收"})
    ) == {"target"}
    assert errors_of(kam.post(f"{url}/objectives", {"metric": "mood", "description": "x"})) == {
        "metric"
    }
    late = {
        "metric": "free_text",
        "description": "x",
        "starts_on": "2026-06-01",
        "due_on": "2026-01-01",
    }
    assert errors_of(kam.post(f"{url}/objectives", late)) == {"due_on"}
    assert errors_of(
        kam.post(f"{url}/actions", {"title": "x", "due_on": "2026-05-01", "objective_id": other.pk})
    ) == {"objective_id"}
    assert errors_of(
        kam.post(f"{url}/actions", {"title": "x", "due_on": "2026-05-01", "owner_id": 999999})
    ) == {"owner_id"}
    assert not Objective.objects.filter(plan=draft).exists()
    assert not Action.objects.exists()


def test_a_free_text_objective_is_assessed_by_hand_once_approved(
    world: World, api: dict[str, ApiClient]
) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    by_hand = objective(active, metric="free_text", target=None)
    measured = objective(active)
    done = api["kam"].patch(f"/objectives/{by_hand.pk}", {"progress": "on_track"})
    assert done.json()["progress"] == "on_track"
    assert errors_of(api["kam"].patch(f"/objectives/{measured.pk}", {"progress": "achieved"})) == {
        "progress"
    }
    assert errors_of(api["kam"].patch(f"/objectives/{by_hand.pk}", {"description": "x"})) == {
        "__all__"
    }


def test_an_action_done_records_the_day_and_its_owner_may_update_it(
    world: World, api: dict[str, ApiClient]
) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    created = api["kam"].post(
        f"/plans/{active.pk}/actions",
        {"title": "寄送样品", "due_on": "2026-04-30", "owner_id": world.viewer.pk},
    )
    assert created.status_code == 201, created.json()
    url = f"/actions/{created.json()['id']}"
    done = api["viewer"].patch(url, {"status": "done"}).json()  # the owner, though a viewer
    assert done["status"] == "done"
    assert done["done_on"]
    assert api["kam"].patch(url, {"status": "open"}).json()["done_on"] is None


def test_resources_are_asked_then_decided(world: World, api: dict[str, ApiClient]) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    url = f"/plans/{active.pk}/resources"
    assert errors_of(api["kam"].post(url, {"function": "rnd", "reason": "样品"})) == {"person_days"}
    asked = api["kam"].post(url, {"function": "rnd", "reason": "样品", "person_days": "20"})
    assert asked.status_code == 201, asked.json()
    decide = f"/resources/{asked.json()['id']}/decide"
    assert errors_of(api["dir"].post(decide, {"decision": "refused"})) == {"comment"}
    assert errors_of(api["dir"].post(decide, {"decision": "partly"})) == {"granted_person_days"}
    assert errors_of(api["dir"].post(decide, {"decision": "pending"})) == {"decision"}
    assert ResourceRequest.objects.get().decision == "pending"
    partly = api["dir"].post(decide, {"decision": "partly", "granted_person_days": "12"}).json()
    assert (partly["decision"], partly["granted_person_days"]) == ("partly", "12.0")
    assert partly["decided_by_id"] == world.director.pk
    assert [r["id"] for r in api["viewer"].get(url).json()["items"]] == [partly["id"]]


def test_a_review_needs_an_approved_plan_and_a_later_next_date(
    world: World, api: dict[str, ApiClient]
) -> None:
    draft = plan(world.account)
    assert errors_of(api["kam"].post(f"/plans/{draft.pk}/reviews", {})) == {"__all__"}
    active = plan(world.account, year=2027, status=PlanStatus.ACTIVE)
    late = {"held_on": "2027-04-01", "next_review_on": "2027-03-01"}
    assert errors_of(api["kam"].post(f"/plans/{active.pk}/reviews", late)) == {"next_review_on"}
    assert api["kam"].get(f"/plans/{active.pk}/reviews").json()["count"] == 0
