"""Translated names the dashboard's charts need, sent beside the (language-free) figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.accounts.models import LifecycleStage, Tier
from openkam.portfolio.labels import QUADRANTS


def chart_labels() -> dict[str, object]:
    return {
        "quadrants": {code: str(label.name) for code, label in QUADRANTS.items()},
        "tiers": {code: str(name) for code, name in Tier.choices},
        "stages": {code: str(name) for code, name in LifecycleStage.choices},
        "accounts": _("Share of accounts"),
        "revenue": _("Share of revenue"),
        "class_a": _("Class A up to %(share)s"),
        "class_b": _("Class B up to %(share)s"),
        "sales": _("Revenue, last 12 months"),
        "profit": _("Gross margin, last 12 months"),
        "loyalty": _("Loyalty (0-100)"),
        "strength": _("Relative strength (0-100)"),
        "attractiveness": _("Attractiveness (0-100)"),
        "open": _("Click to open the account"),
    }
