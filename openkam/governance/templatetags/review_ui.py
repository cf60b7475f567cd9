"""The tier review's status badges and the rows of its proposals. The rows are written here
rather than in the template: a review's page lists 25 proposals of a thousand, and the
template engine's lookups and filters cost a third of the page's CPU (benchmarks/tier_review.py);
the markup is the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from openkam.accounts.models import Tier
from openkam.portfolio.models import TierProposal

register = template.Library()

# The badge colour of a review's or a proposal's status.
STATUS_COLORS = {
    "open": "orange", "proposed": "orange", "submitted": "blue",
    "approved": "green", "closed": "green", "rejected": "red",
}  # fmt: skip
ROW = (
    '<tr data-testid="proposal-row">'
    '<td><a href="{}" data-testid="proposal-link">{}</a>'
    '<div class="small text-secondary">{}</div></td>'
    '<td><span class="badge bg-{}-lt">{}</span></td>'
    '<td><span class="badge bg-{} text-white">{}</span>{}</td>'
    '<td class="small text-wrap">{}</td>'
    '<td><span class="badge bg-{}-lt" data-testid="status-{}">{}</span></td>'
    '<td class="small">{}</td>'
    "</tr>"
)  # fmt: skip


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


def _labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Choices' labels in the current language, as get_<field>_display gives them."""
    return {code: str(label) for code, label in choices}


def _tier_color() -> Callable[[str], str]:
    """The pages' `tier_color` filter, found as the templates find it: the governance layer
    does not import the web layer's modules."""
    engine = template.engines["django"].engine  # type: ignore[attr-defined]
    return engine.template_libraries["openkam_ui"].filters["tier_color"]


def _manual_badge() -> SafeString:
    return format_html(
        ' <span class="badge bg-purple-lt" title="{}">{}</span>',
        gettext("Not what the tier policy gives"),
        gettext("by marketing"),
    )


def _decision(proposal: TierProposal) -> SafeString | str:
    if proposal.decided_by is None:
        return "—"
    decided = proposal.decided_at
    when = date_format(timezone.localtime(decided), "SHORT_DATE_FORMAT") if decided else ""
    comment = proposal.decision_comment
    note = Truncator(comment).chars(80) if comment else ""
    if not note:
        return format_html("{} · {}", proposal.decided_by, when)
    return format_html(
        '{} · {}<div class="text-secondary">{}</div>', proposal.decided_by, when, note
    )


@register.simple_tag
def proposal_rows(proposals: Iterable[TierProposal]) -> SafeString:
    """The review's table rows: the account (and its KAM), the current and the proposed tier
    (marked when marketing's, not the policy's), the justification, the status, the decision."""
    # One reverse for the page's rows: the proposal's URL split around its key.
    head, _zero, tail = reverse("governance:proposal", args=[0]).rpartition("0")
    manual = _manual_badge()
    tiers, statuses = (
        _labels(Tier.choices),
        _labels(TierProposal.Status.choices),
    )  # once, not per row
    tier_color = _tier_color()
    return format_html_join(
        "",
        ROW,
        (
            (
                f"{head}{p.pk}{tail}",
                p.account,
                p.account.owner or "—",
                tier_color(p.current_tier),
                tiers.get(p.current_tier, p.current_tier),
                tier_color(p.proposed_tier),
                tiers.get(p.proposed_tier, p.proposed_tier),
                manual if p.is_manual else "",
                Truncator(p.reason).chars(120),
                status_color(p.status),
                p.status,
                statuses.get(p.status, p.status),
                _decision(p),
            )
            for p in proposals
        ),
    )
