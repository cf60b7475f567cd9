"""Badges, colours and readable review figures of the plan pages, and the card an account
page includes (`{% load plans_ui %}{% account_plan_card account %}`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, RelationshipStage
from openkam.plans.models import Action, Metric, Progress
from openkam.plans.risks import Level, Rating
from openkam.plans.selectors import account_plan_summary

register = template.Library()

RATING_COLORS: dict[str, str] = {
    Rating.CAUTION: "green",
    Rating.FIX: "yellow",
    Rating.SIGNIFICANT: "orange",
    Rating.SHOW_STOPPER: "red",
}
PROGRESS_COLORS: dict[str, str] = {
    Progress.NOT_MEASURED: "secondary",
    Progress.ON_TRACK: "green",
    Progress.BEHIND: "orange",
    Progress.ACHIEVED: "blue",
}
STATUS_COLORS = {
    "draft": "secondary",
    "submitted": "yellow",
    "approved": "cyan",
    "active": "green",
    "closed": "dark",
}
DECISION_COLORS = {"pending": "yellow", "granted": "green", "partly": "cyan", "refused": "red"}


@register.filter
def get_item(mapping: dict[str, Any], key: object) -> Any:
    return mapping.get(str(key)) if mapping else None


@register.filter
def rating_color(rating: str) -> str:
    return RATING_COLORS.get(rating, "secondary")


@register.filter
def progress_color(progress: str) -> str:
    return PROGRESS_COLORS.get(progress, "secondary")


@register.filter
def plan_status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


@register.filter
def decision_color(decision: str) -> str:
    return DECISION_COLORS.get(decision, "secondary")


@register.filter
def level_label(level: str) -> str:
    return str(Level(level).label) if level in Level.values else level


@register.filter
def rating_label(rating: str) -> str:
    return str(Rating(rating).label) if rating in Rating.values else rating


@register.filter
def overdue(action: Action, today: dt.date) -> bool:
    return action.is_overdue(today)


@register.filter
def figure_kind(key: str) -> str:
    """How an objective's figure reads: money, a rate already in percent, a relationship
    stage or a count."""
    if key == Metric.REVENUE:
        return "money"
    if key in (Metric.GROSS_MARGIN, Metric.SHARE_OF_WALLET):
        return "rate"
    if key == Metric.RELATIONSHIP_STAGE:
        return "stage_rank"
    if key == Metric.FUNCTIONS_MEETING:
        return "number"
    return "text"


@register.filter
def stage_name(value: object) -> str:
    """A relationship stage from its rank (an objective's figure) or its code (a review)."""
    labels = dict(RelationshipStage.choices)
    if str(value) in labels:
        return str(labels[str(value)])
    try:
        rank = int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "—" if value in (None, "") else str(value)
    stages = RelationshipStage.choices
    return str(stages[rank][1]) if 0 <= rank < len(stages) else str(value)


@dataclass(frozen=True)
class FigureRow:
    label: str
    kind: str
    before: object
    after: object
    changed: bool


REVIEW_FIGURES = {
    "as_of": gettext_lazy("Snapshot of"),
    "revenue_12m": gettext_lazy("Revenue, last 12 months"),
    "margin_rate": gettext_lazy("Gross margin rate"),
    "share_of_wallet": gettext_lazy("Share of wallet"),
    "clv": gettext_lazy("Customer lifetime value"),
    "churn_level": gettext_lazy("Churn risk"),
    "p_alive": gettext_lazy("Probability still buying"),
}


# How each kept figure reads (a snapshot's share of wallet is a ratio, unlike the objective's
# metric of the same name, which is in percent).
REVIEW_KINDS = {
    "revenue_12m": "money",
    "clv": "money",
    "margin_rate": "rate",
    "share_of_wallet": "ratio",
    "p_alive": "ratio",
}


@register.filter
def review_rows(figures: dict[str, Any]) -> list[FigureRow]:
    """A review's kept figures as "before -> after" rows a reader takes in at a glance."""
    before = figures.get("before") or {}
    after = figures.get("after") or {}
    rows = [
        FigureRow(
            label=str(label),
            kind=REVIEW_KINDS.get(key, "text"),
            before=before.get(key),
            after=after.get(key),
            changed=before.get(key) != after.get(key),
        )
        for key, label in REVIEW_FIGURES.items()
        if key in before or key in after
    ]
    rows.append(
        FigureRow(
            label=_("Relationship stage"),
            kind="stage_rank",
            before=figures.get("stage_before"),
            after=figures.get("stage_after"),
            changed=figures.get("stage_before") != figures.get("stage_after"),
        )
    )
    return rows


@register.filter
def progress_label(code: str) -> str:
    return str(Progress(code).label) if code in Progress.values else code


@register.inclusion_tag("plans/_account_card.html", takes_context=True)
def account_plan_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The account's current plan, open actions and open risks, and a "create plan" button
    for the account's writers (four queries)."""
    return {
        "account": account,
        "summary": account_plan_summary(account, today=timezone.localdate()),
        "can_write": bool(context.get("can_write")),
    }
