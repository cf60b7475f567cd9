"""/api/v1/tier-reviews and /api/v1/tier-proposals by persona: the pages' rules as JSON
(403 for roles outside the review, 404 for what does not exist, 409 for a step the review's
state forbids, 422 naming the field), nothing saved on any refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.governance.tests.conftest import YEAR
from openkam.interactions.models import ContactCadence
from openkam.portfolio.models import (
    PortfolioRun,
    PortfolioSettings,
    ScoringCriterion,
    TierProposal,
    TierReview,
    TierServiceLevel,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def as_(world: World) -> dict[str, ApiClient]:
    return {name: api_for(getattr(world, name))
            for name in ("executive", "director", "kam", "analyst", "viewer")}  # fmt: skip


def test_the_analyst_opens_adds_and_submits(
    world: World, refreshed: PortfolioRun, as_: dict[str, ApiClient]
) -> None:
    opened = as_["analyst"].post("/tier-reviews", {"year": YEAR})
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert (body["year"], body["status"], body["proposals"], body["undecided"]) == (
        YEAR, "open", 2, 2,
    )  # fmt: skip
    review_id = body["id"]
    added = as_["analyst"].post(
        f"/tier-reviews/{review_id}/proposals",
        {"account_id": world.unassigned_account.pk, "proposed_tier": "major",
         "justification": "行业影响力大"},
    )  # fmt: skip
    assert added.status_code == 201, added.json()
    assert added.json()["justification"] == "行业影响力大"
    listed = as_["executive"].get(
        f"/tier-reviews/{review_id}/proposals", {"proposed_tier": "major"}
    )
    assert {p["account_id"] for p in listed.json()["items"]} == {
        world.other_account.pk, world.unassigned_account.pk,
    }  # fmt: skip
    assert (
        as_["analyst"].post(f"/tier-reviews/{review_id}/submit", {}).json()["status"] == "submitted"
    )


def test_the_executive_rejects_one_and_approves_the_rest(
    world: World, review: TierReview, as_: dict[str, ApiClient]
) -> None:
    as_["analyst"].post(f"/tier-reviews/{review.pk}/submit", {})
    other = review.proposals.get(account=world.other_account)
    no_reason = as_["executive"].post(f"/tier-proposals/{other.pk}/reject", {})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "comment"
    rejected = as_["executive"].post(f"/tier-proposals/{other.pk}/reject", {"comment": "观察一年"})
    assert rejected.json()["status"] == "rejected"
    rest = as_["executive"].post(f"/tier-reviews/{review.pk}/approve-rest", {})
    assert rest.json()["approved"] == 1
    assert rest.json()["review"]["status"] == "closed"
    world.account.refresh_from_db()
    assert world.account.tier == "key"


def test_deciding_before_submission_is_a_conflict(
    world: World, review: TierReview, as_: dict[str, ApiClient]
) -> None:
    proposal = review.proposals.get(account=world.account)
    response = as_["executive"].post(f"/tier-proposals/{proposal.pk}/approve", {})
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


@pytest.mark.parametrize("persona", ["director", "kam", "viewer"])
def test_roles_outside_the_review_are_refused_everything(
    world: World, review: TierReview, as_: dict[str, ApiClient], persona: str
) -> None:
    client = as_[persona]
    proposal = review.proposals.get(account=world.account)
    assert client.get("/tier-reviews").status_code == 403
    assert client.get(f"/tier-reviews/{review.pk}").status_code == 403
    assert client.get(f"/tier-reviews/{review.pk}/proposals").status_code == 403
    assert client.post("/tier-reviews", {"year": YEAR + 1}).status_code == 403
    assert client.post(f"/tier-reviews/{review.pk}/submit", {}).status_code == 403
    patch = {"proposed_tier": "major", "justification": "x"}
    assert client.patch(f"/tier-proposals/{proposal.pk}", patch).status_code == 403
    assert client.post(f"/tier-proposals/{proposal.pk}/approve", {}).status_code == 403
    proposal.refresh_from_db()
    review.refresh_from_db()
    assert (proposal.proposed_tier, proposal.status, review.status) == ("key", "proposed", "open")
    assert TierReview.objects.count() == 1


def test_each_role_keeps_to_its_step(
    world: World, review: TierReview, as_: dict[str, ApiClient]
) -> None:
    proposal = review.proposals.get(account=world.account)
    patch = {"proposed_tier": "major", "justification": "x"}
    assert as_["executive"].patch(f"/tier-proposals/{proposal.pk}", patch).status_code == 403
    assert as_["executive"].post("/tier-reviews", {"year": YEAR + 1}).status_code == 403
    changed = as_["analyst"].patch(f"/tier-proposals/{proposal.pk}", patch)
    assert changed.json()["proposed_tier"] == "major"
    as_["analyst"].post(f"/tier-reviews/{review.pk}/submit", {})
    assert as_["analyst"].post(f"/tier-proposals/{proposal.pk}/approve", {}).status_code == 403
    assert TierProposal.objects.get(pk=proposal.pk).status == "proposed"


def test_unknown_reviews_and_proposals_are_404(as_: dict[str, ApiClient], world: World) -> None:
    assert as_["executive"].get("/tier-reviews/999999").status_code == 404
    assert as_["executive"].post("/tier-proposals/999999/approve", {}).status_code == 404


def test_settings_are_read_and_changed_by_analysts_and_executives(
    world: World, as_: dict[str, ApiClient]
) -> None:
    assert as_["executive"].get("/settings").json()["key_threshold"] == "20000000.00"
    changed = as_["analyst"].patch("/settings", {"key_threshold": "30000000"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["key_requires_leader"] is True  # what was not sent stays
    settings = PortfolioSettings.current()
    assert settings.key_threshold == Decimal("30000000")
    assert settings.history.latest().history_user == world.analyst


def test_settings_out_of_order_name_the_field_and_save_nothing(
    world: World, as_: dict[str, ApiClient]
) -> None:
    response = as_["executive"].patch("/settings", {"major_threshold": "25000000"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "major_threshold"
    assert PortfolioSettings.current().major_threshold == Decimal("5000000")


@pytest.mark.parametrize("persona", ["director", "kam", "viewer"])
def test_other_roles_read_but_may_not_change_the_settings(
    as_: dict[str, ApiClient], persona: str
) -> None:
    assert as_[persona].get("/settings").status_code == 200
    assert as_[persona].patch("/settings", {"key_threshold": "1"}).status_code == 403
    assert PortfolioSettings.current().key_threshold == Decimal("20000000")


def test_the_settings_read_the_service_levels_criteria_and_matrix_cuts(
    as_: dict[str, ApiClient],
) -> None:
    body = as_["viewer"].get("/settings").json()
    assert body["sales_profit_cut"] == "median"
    assert body["portfolio_cut"] == "fixed"
    levels = {row["tier"]: row for row in body["service_levels"]}
    assert levels["strategic"]["support_response_hours"] == 2
    assert levels["key"]["executive_sponsor"] is True
    assert levels["general"]["priority_delivery"] is False
    assert {c["key"] for c in body["criteria"] if not c["is_active"]} == {
        "word_of_mouth_value", "knowledge_value", "industry_influence"
    }  # fmt: skip


def test_the_api_changes_service_levels_criteria_and_cuts(
    world: World, as_: dict[str, ApiClient]
) -> None:
    knowledge = ScoringCriterion.objects.get(key="knowledge_value")
    response = as_["executive"].patch(
        "/settings",
        {
            "volume_loyalty_cut": "fixed",
            "volume_loyalty_revenue_cut": "3000000",
            "service_levels": [{"tier": "major", "support_response_hours": 5, "every_days": 20}],
            "criteria": [{"id": knowledge.pk, "is_active": True, "weight": "2",
                          "name": "专业知识价值", "name_en": "Know-how value"}],
            "new_criterion": {"scorecard": "strength", "key": "joint_development",
                              "name": "联合开发", "name_en": "Joint development", "weight": "1"},
        },
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["volume_loyalty_cut"] == "fixed"
    assert TierServiceLevel.objects.get(tier="major").support_response_hours == 5
    assert ContactCadence.objects.get(tier="major").every_days == 20
    knowledge.refresh_from_db()
    assert (knowledge.is_active, knowledge.weight, knowledge.name_en) == (
        True, Decimal("2"), "Know-how value"
    )  # fmt: skip
    assert ScoringCriterion.objects.get(key="joint_development").scorecard == "strength"
    assert TierServiceLevel.objects.get(tier="major").history.latest().history_user == (
        world.executive
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"service_levels": [{"tier": "key", "support_response_hours": 0}]},
         "key.support_response_hours"),
        ({"criteria": [{"id": 999999, "weight": "1"}]}, "criteria"),
        ({"new_criterion": {"scorecard": "strength", "key": "satisfaction", "name": "x",
                            "name_en": "x", "weight": "1"}}, "new_criterion.key"),
        ({"sales_profit_revenue_cut": "1", "service_levels": [{"tier": "key", "every_days": 0}]},
         "key.every_days"),
    ],
)  # fmt: skip
def test_a_bad_settings_change_names_the_field_and_saves_nothing(
    as_: dict[str, ApiClient], body: dict[str, object], field: str
) -> None:
    criteria = ScoringCriterion.objects.count()
    response = as_["analyst"].patch("/settings", body)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert TierServiceLevel.objects.get(tier="key").support_response_hours == 4
    assert ScoringCriterion.objects.count() == criteria
    assert PortfolioSettings.current().sales_profit_revenue_cut == Decimal("1000000")


@pytest.mark.parametrize("persona", ["director", "kam", "other_kam", "viewer", "anonymous"])
def test_the_settings_refuse_every_other_persona_and_save_nothing(
    world: World, persona: str
) -> None:
    client = ApiClient(None) if persona == "anonymous" else api_for(getattr(world, persona))
    expected = 401 if persona == "anonymous" else 403
    before = TierServiceLevel.history.count()
    first = ScoringCriterion.objects.earliest("pk").pk
    body = {"key_threshold": "1", "service_levels": [{"tier": "key", "every_days": 3}],
            "criteria": [{"id": first, "weight": "9"}]}  # fmt: skip
    assert client.patch("/settings", body).status_code == expected
    assert client.get("/settings").status_code == (401 if persona == "anonymous" else 200)
    assert PortfolioSettings.current().key_threshold == Decimal("20000000")
    assert ContactCadence.objects.get(tier="key").every_days != 3
    assert not ScoringCriterion.objects.filter(weight=Decimal("9")).exists()
    assert TierServiceLevel.history.count() == before
