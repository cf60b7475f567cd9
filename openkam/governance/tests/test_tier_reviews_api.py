"""/api/v1/tier-reviews and /api/v1/tier-proposals by persona: the pages' rules as JSON
(403 for roles outside the review, 404 for what does not exist, 409 for a step the review's
state forbids, 422 naming the field), nothing saved on any refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.governance.tests.conftest import YEAR
from openkam.portfolio.models import PortfolioRun, PortfolioSettings, TierProposal, TierReview

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
