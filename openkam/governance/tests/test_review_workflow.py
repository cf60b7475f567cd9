"""The yearly tier review's state machine: opened (proposals from the policy), prepared
(add, change, withdraw, each justified), submitted, decided proposal by proposal or the rest
in one go, closed when nothing is left; approved tiers land on the accounts with history."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account
from openkam.common.errors import Conflict, ValidationError
from openkam.conftest import World
from openkam.governance import services
from openkam.governance.tests.conftest import YEAR
from openkam.portfolio.models import PortfolioRun, TierProposal, TierReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def proposal_of(review: TierReview, account: Account) -> TierProposal:
    return review.proposals.get(account=account)


def test_opening_proposes_what_the_policy_changes(world: World, review: TierReview) -> None:
    rows = {(p.account_id, p.current_tier, p.proposed_tier, p.policy_tier, p.status)
            for p in review.proposals.all()}  # fmt: skip
    assert rows == {
        (world.account.pk, "general", "key", "key", "proposed"),
        (world.other_account.pk, "general", "major", "major", "proposed"),
    }
    assert review.status == TierReview.Status.OPEN
    assert review.opened_by == world.analyst
    assert all(p.history.count() == 1 for p in review.proposals.all())


def test_a_refresh_left_proposal_gives_way_to_the_review(
    world: World, refreshed: PortfolioRun
) -> None:
    stray = TierProposal.objects.create(
        account=world.unassigned_account, current_tier="general", proposed_tier="key"
    )
    services.review_open(user=world.analyst, year=YEAR)
    stray.refresh_from_db()
    assert stray.status == TierProposal.Status.SUPERSEDED


def test_one_review_a_year_and_one_at_a_time(world: World, review: TierReview) -> None:
    with pytest.raises(ValidationError) as same_year:
        services.review_open(user=world.analyst, year=YEAR)
    assert "year" in same_year.value.message_dict
    with pytest.raises(Conflict):
        services.review_open(user=world.analyst, year=YEAR + 1)
    assert TierReview.objects.count() == 1


def test_no_review_without_a_refresh(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.review_open(user=world.analyst, year=YEAR)
    assert "year" in refused.value.message_dict
    assert not TierReview.objects.exists()


def test_the_analyst_adds_changes_and_withdraws_with_a_justification(
    world: World, review: TierReview
) -> None:
    added = services.proposal_add(
        user=world.analyst, review=review, account_id=world.unassigned_account.pk,
        proposed_tier="major", reason="新开发的行业龙头",
    )  # fmt: skip
    assert (added.policy_tier, added.proposed_tier, added.is_manual) == ("general", "major", True)
    kam_account = proposal_of(review, world.account)
    services.proposal_change(
        user=world.analyst, proposal=kam_account, proposed_tier="major", reason="集团采购收缩"
    )
    kam_account.refresh_from_db()
    assert (kam_account.proposed_tier, kam_account.reason) == ("major", "集团采购收缩")
    other = proposal_of(review, world.other_account)
    services.proposal_withdraw(user=world.analyst, proposal=other, reason="数据待核实")
    other.refresh_from_db()
    assert other.status == TierProposal.Status.WITHDRAWN
    assert [h.history_change_reason for h in kam_account.history.order_by("history_id")] == [
        None,
        "changed",
    ]


@pytest.mark.parametrize(
    ("tier", "reason", "field"),
    [
        ("major", "  ", "reason"),
        ("general", "已是一般客户", "proposed_tier"),
        ("gold", "x", "proposed_tier"),
    ],
)
def test_a_change_without_reason_or_to_the_same_tier_is_refused(
    world: World, review: TierReview, tier: str, reason: str, field: str
) -> None:
    proposal = proposal_of(review, world.account)
    with pytest.raises(ValidationError) as refused:
        services.proposal_change(
            user=world.analyst, proposal=proposal, proposed_tier=tier, reason=reason
        )
    assert field in refused.value.message_dict
    proposal.refresh_from_db()
    assert proposal.proposed_tier == "key"


def test_deciding_waits_for_the_submission_and_preparing_ends_with_it(
    world: World, review: TierReview
) -> None:
    proposal = proposal_of(review, world.account)
    with pytest.raises(Conflict):
        services.proposal_decide(user=world.executive, proposal=proposal, approve=True)
    services.review_submit(user=world.analyst, review=review)
    with pytest.raises(Conflict):
        services.proposal_change(
            user=world.analyst, proposal=proposal, proposed_tier="major", reason="晚了"
        )
    with pytest.raises(Conflict):
        services.review_submit(user=world.analyst, review=review)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.proposed_tier) == ("proposed", "key")


def test_the_executive_rejects_one_and_approves_the_rest(world: World, review: TierReview) -> None:
    services.review_submit(user=world.analyst, review=review)
    other = proposal_of(review, world.other_account)
    with pytest.raises(ValidationError) as no_reason:
        services.proposal_decide(user=world.executive, proposal=other, approve=False)
    assert "comment" in no_reason.value.message_dict
    services.proposal_decide(
        user=world.executive, proposal=other, approve=False, comment="规模未稳定"
    )
    assert services.review_approve_rest(user=world.executive, review=review) == 1
    review.refresh_from_db()
    assert review.status == TierReview.Status.CLOSED
    assert review.closed_at is not None
    world.account.refresh_from_db()
    world.other_account.refresh_from_db()
    assert (world.account.tier, world.other_account.tier) == ("key", "general")
    latest = world.account.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.history_user == world.executive
    assert (
        latest.history_change_reason
        == f"Tier review {YEAR}, proposal no. {proposal_of(review, world.account).pk}"
    )
    other.refresh_from_db()
    assert (other.status, other.decision_comment, other.decided_by) == (
        "rejected", "规模未稳定", world.executive,
    )  # fmt: skip


def test_a_review_with_nothing_left_closes_on_submission(world: World, review: TierReview) -> None:
    for proposal in review.proposals.all():
        services.proposal_withdraw(user=world.analyst, proposal=proposal, reason="无需调整")
    services.review_submit(user=world.analyst, review=review)
    review.refresh_from_db()
    assert review.status == TierReview.Status.CLOSED
    assert [h.history_change_reason for h in review.history.order_by("history_id")] == [
        "opened", "submitted", "closed",
    ]  # fmt: skip
