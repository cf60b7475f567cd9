"""The decisions of one tier review as an XLSX workbook (issue 11: "its decisions download as
XLSX"): every proposal with the current, proposed and decided tier, who proposed and who
decided when, the comment, and the evidence figures of the review's refresh. Headers follow
the request's language (openkam.common.exports writes them translated)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Tier
from openkam.common.exports import Column, Kind, attr
from openkam.portfolio.models import AccountSnapshot, TierProposal, TierReview

# The evidence figures read from the review's refresh, one subquery each (one query in all).
FIGURES = ("revenue_12m", "net_contribution", "clv_net", "p_alive", "attractiveness",
           "relative_strength")  # fmt: skip


def decision_rows(review: TierReview) -> QuerySet[TierProposal]:
    snapshot = AccountSnapshot.objects.filter(
        run_id=review.run_id, account_id=OuterRef("account_id")
    )
    figures = {f"ev_{name}": Subquery(snapshot.values(name)[:1]) for name in FIGURES}
    return (
        review.proposals.exclude(status=TierProposal.Status.SUPERSEDED)
        .select_related("account", "account__owner", "proposed_by", "decided_by")
        .annotate(**figures)
        .order_by("account__legal_name", "pk")
    )


def _tier_label(code: str) -> str:
    return str(Tier(code).label) if code in Tier.values else ""


def _decided_tier(row: TierProposal) -> str:
    """The tier the account has by the decision: the proposed one if approved, the current
    one if rejected, nothing while undecided or withdrawn."""
    if row.status == TierProposal.Status.APPROVED:
        return _tier_label(row.proposed_tier)
    if row.status == TierProposal.Status.REJECTED:
        return _tier_label(row.current_tier)
    return ""


def decision_columns() -> list[Column[Any]]:
    return [
        Column(_("Proposal"), attr("pk"), Kind.INTEGER, width=9),
        Column(_("Account"), attr("account.legal_name"), width=30),
        Column(_("KAM"), attr("account.owner"), width=16),
        Column(_("Current tier"), lambda p: _tier_label(p.current_tier)),
        Column(_("Tier by the policy"), lambda p: _tier_label(p.policy_tier)),
        Column(_("Proposed tier"), lambda p: _tier_label(p.proposed_tier)),
        Column(_("Decided tier"), _decided_tier),
        Column(_("Status"), attr("get_status_display")),
        Column(_("Justification"), attr("reason"), width=40),
        Column(_("Proposed by"), attr("proposed_by"), width=16),
        Column(_("Decided by"), attr("decided_by"), width=16),
        Column(_("Decided at"), attr("decided_at"), Kind.DATETIME, width=17),
        Column(_("Comment"), attr("decision_comment"), width=40),
        Column(_("Revenue, last 12 months"), attr("ev_revenue_12m"), Kind.MONEY),
        Column(_("Net contribution"), attr("ev_net_contribution"), Kind.MONEY),
        Column(_("Net customer value"), attr("ev_clv_net"), Kind.MONEY),
        Column(_("Probability alive"), attr("ev_p_alive"), Kind.PERCENT),
        Column(_("Attractiveness (0-100)"), attr("ev_attractiveness"), Kind.NUMBER),
        Column(_("Relative strength (0-100)"), attr("ev_relative_strength"), Kind.NUMBER),
    ]
