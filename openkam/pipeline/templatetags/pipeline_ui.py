"""Template helpers of the pipeline: money in 万/亿 in Chinese, stage colours, the account
page's card of open opportunities and the navigation entry (their words live in this app's
catalogue)."""

from __future__ import annotations

from typing import Any

from django import template

from openkam.accounts.models import Account
from openkam.common.money import spoken
from openkam.pipeline.mode import promotion_mode
from openkam.pipeline.models import OPEN_STAGES, Opportunity, Stage
from openkam.pipeline.selectors import probabilities, with_weighted

register = template.Library()

STAGE_COLORS = {
    Stage.NEEDS_ANALYSIS: "azure",
    Stage.SOLUTION_DESIGN: "indigo",
    Stage.QUOTATION: "purple",
    Stage.NEGOTIATION: "orange",
    Stage.WON: "green",
    Stage.LOST: "secondary",
    Stage.LEAD: "azure",
    Stage.FIRST_CONTACT: "indigo",
    Stage.SITE_VISIT: "purple",
    Stage.SIGNED: "green",
    Stage.LANDED: "teal",
    Stage.IN_PRODUCTION: "lime",
}


@register.filter
def stage_color(stage: str) -> str:
    return STAGE_COLORS.get(stage, "secondary")  # type: ignore[call-overload]


@register.filter
def wan(value: object, currency: str | None = None) -> str:
    """Money as the reader counts it (¥12.5万, ¥3.2亿; ¥125K in English): the one rule,
    common.money.spoken, that every page and message uses."""
    return spoken(value, currency)


@register.inclusion_tag("pipeline/_account_card.html", takes_context=True)
def account_opportunities_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The account's open opportunities with their weighted amounts (two queries: the stage
    probabilities, the rows). The page has checked that the user sees the account, and an
    opportunity is visible exactly when its account is (opportunities_visible_to), so the rows
    are read by the account alone: the visibility subquery cost a KAM 5-10 ms of SQLite. Only
    the open stages' probabilities go into the weighting (each stage is a WHEN that Django
    builds and compiles twice: 1.2 ms of the card's 3.7)."""
    chances = {stage: chance for stage, chance in probabilities().items() if stage in OPEN_STAGES}
    rows = with_weighted(
        Opportunity.objects.filter(account_id=account.pk, stage__in=OPEN_STAGES), chances
    )
    return {
        "account": account,
        "rows": list(rows),
        "can_write": bool(context.get("can_write")),
        "promotion": promotion_mode(),
    }


@register.inclusion_tag("pipeline/_nav.html", takes_context=True)
def pipeline_nav_item(context: template.Context) -> dict[str, Any]:
    return {"active": context.get("namespace") == "pipeline"}


@register.simple_tag
def promotion_on() -> bool:
    """OPENKAM_MODE=promotion (the tabs show the targets' matrix and the scorecard weights)."""
    return promotion_mode()
