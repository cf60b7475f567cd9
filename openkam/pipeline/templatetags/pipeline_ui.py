"""Template helpers of the pipeline: money in 万/亿 in Chinese, stage colours, the account
page's card of open opportunities and the navigation entry (their words live in this app's
catalogue)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.conf import settings
from django.utils.numberformat import format as number_format
from django.utils.translation import get_language

from openkam.accounts.models import Account
from openkam.accounts.selectors import user_writes
from openkam.pipeline.mode import promotion_mode
from openkam.pipeline.models import OPEN_STAGES, Stage
from openkam.pipeline.selectors import opportunities_visible_to, with_weighted

register = template.Library()

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "GBP": "£"}


def _grouped(amount: Decimal, decimals: int) -> str:
    rounded = amount.quantize(Decimal(1).scaleb(-decimals))
    return number_format(
        rounded,
        decimal_sep=".",
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=",",
        force_grouping=True,
    )


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
    """Money as a Chinese reader counts it: ¥12.5万, ¥3.20亿; in English ¥125,000."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    code = currency or str(settings.OPENKAM_CURRENCY)
    symbol = SYMBOLS.get(code, f"{code} ")
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if not (get_language() or "").startswith("zh"):
        return f"{sign}{symbol}{_grouped(amount, 0)}"
    if amount >= Decimal("100000000"):
        return f"{sign}{symbol}{_grouped(amount / Decimal('100000000'), 2)}亿"
    if amount >= Decimal("10000"):
        return f"{sign}{symbol}{_grouped(amount / Decimal('10000'), 1)}万"
    return f"{sign}{symbol}{_grouped(amount, 0)}"


@register.inclusion_tag("pipeline/_account_card.html", takes_context=True)
def account_opportunities_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The account's open opportunities with their weighted amounts (one query)."""
    user = context["request"].user
    rows = with_weighted(
        opportunities_visible_to(user).filter(account_id=account.pk, stage__in=OPEN_STAGES)
    ).select_related("owner")
    return {
        "account": account,
        "rows": list(rows),
        "can_write": user_writes(user),
        "promotion": promotion_mode(),
    }


@register.inclusion_tag("pipeline/_nav.html", takes_context=True)
def pipeline_nav_item(context: template.Context) -> dict[str, Any]:
    return {"active": context.get("namespace") == "pipeline"}


@register.simple_tag
def promotion_on() -> bool:
    """OPENKAM_MODE=promotion (the tabs show the targets' matrix and the scorecard weights)."""
    return promotion_mode()
