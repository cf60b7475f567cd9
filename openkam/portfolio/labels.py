"""Words for the codes the portfolio refresh stores (loyalty types, quadrants, churn levels and
reasons, forecast methods), translatable. The analytics library speaks in codes; pages and
reports look their labels up here, so the same code reads the same everywhere.

The quadrant names and treatments repeat openkam.analytics.quadrants (kept there as data for
the library, in English only): a test checks both list the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.analytics import churn, loyalty, portfolio


@dataclass(frozen=True)
class Label:
    name: Promise
    advice: Promise


LOYALTY_TYPES: dict[str, Label] = {
    loyalty.PREMIUM: Label(_("Premium loyalty"), _("High preference, high repeat: maintain")),
    loyalty.LATENT: Label(
        _("Latent loyalty"), _("High preference, low repeat: develop the buying habit")
    ),
    loyalty.INERTIA: Label(
        _("Inertia loyalty"), _("Low preference, high repeat: at risk to a better offer")
    ),
    loyalty.NO_LOYALTY: Label(_("No loyalty"), _("Low preference, low repeat")),
}

QUADRANTS: dict[str, Label] = {
    # Sales x profit (客户价值四格图)
    "star": Label(_("High sales, high profit"), _("Protect and grow: first claim on resources")),
    "volume": Label(_("High sales, low profit"), _("Fix the margin: price, mix and cost to serve")),
    "niche": Label(_("Low sales, high profit"), _("Grow volume while keeping the margin")),
    "marginal": Label(_("Low sales, low profit"), _("Serve at minimum cost or let go")),
    # Volume x loyalty (value-customer cultivation)
    "core_value": Label(
        _("Core value customer"), _("Strategic partnership: joint plans, executive ties")
    ),
    "speculative": Label(
        _("Speculative customer"),
        _("Control credit; watch for cross-region selling (窜货), dumping and overdue payments"),
    ),
    "cultivate": Label(_("Loyal, small"), _("Cultivate and upgrade: grow share of wallet")),
    "low_priority": Label(_("Low priority"), _("Serve efficiently, minimum investment")),
    # Portfolio matrix (客户组合矩阵): attractiveness x relative strength
    "key_account": Label(_("Key account"), _("Invest to keep and grow")),
    "maintenance": Label(_("Maintenance account"), _("Serve efficiently, protect margin")),
    "key_development": Label(
        _("Key development account"), _("Invest selectively to build strength")
    ),
    "opportunistic": Label(_("Opportunistic account"), _("Serve at minimum cost to serve")),
}

CHURN_LEVELS: dict[str, Promise] = {
    churn.LOW: _("Low"),
    churn.MEDIUM: _("Medium"),
    churn.HIGH: _("High"),
}
CHURN_COLORS = {churn.LOW: "green", churn.MEDIUM: "yellow", churn.HIGH: "red"}
# Most urgent first: the order of the churn sort and of the filter.
CHURN_ORDER = (churn.HIGH, churn.MEDIUM, churn.LOW)

ABC_CLASSES = ("A", "B", "C")
ABC_COLORS = {"A": "green", "B": "azure", "C": "secondary"}

FORECAST_METHODS: dict[str, Promise] = {
    portfolio.TREND: _("damped trend of the last three years"),
    portfolio.MODEL: _("purchase model"),
    portfolio.BLEND: _("trend blended with the purchase model"),
}


def churn_reason(code: str) -> str:
    """A churn signal as a sentence, with the threshold that raised it."""
    t = churn.ChurnThresholds()
    texts = {
        churn.P_ALIVE_LOW: (_("probability alive below %(p)s"), {"p": f"{t.p_alive_low:.0%}"}),
        churn.P_ALIVE_VERY_LOW: (
            _("probability alive below %(p)s"),
            {"p": f"{t.p_alive_very_low:.0%}"},
        ),
        churn.OVERDUE_VS_RHYTHM: (
            _("silent for %(n)s times the usual gap"),
            {"n": f"{t.gap_ratio_overdue:g}"},
        ),
        churn.LONG_SILENCE: (
            _("silent for %(n)s times the usual gap"),
            {"n": f"{t.gap_ratio_silence:g}"},
        ),
        churn.VOLUME_DECLINE: (
            _("revenue down more than %(p)s in 6 months"),
            {"p": f"{-t.decline:.0%}"},
        ),
        churn.STEEP_DECLINE: (
            _("revenue down more than %(p)s in 6 months"),
            {"p": f"{-t.steep_decline:.0%}"},
        ),
        churn.PAYMENT_WORSENING: (
            _("share of overdue receivables up more than %(p)s"),
            {"p": f"{t.overdue_share_rise:.0%}"},
        ),
        churn.SATISFACTION_DROP: (
            _("satisfaction score down %(n)s or more"),
            {"n": f"{-t.satisfaction_drop:g}"},
        ),
    }
    if code not in texts:
        return code
    text, params = texts[code]
    return str(text) % params
