"""Every word the outputs show, translatable (zh-hans and en): column headings, reasons, notes.

The pipeline and the reader speak in codes; this module words them. Where the catalogue already
has a term (the web UI's "probability alive", "churn risk" ...) the same msgid is used, so the
file analysis and the application say the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray

from openkam.analytics import churn, tiers
from openkam.analyze import reading
from openkam.analyze.results import BGNBD, GAMMA_GAMMA, PARETO_NBD, Note

MODELS: dict[str, Promise] = {
    BGNBD: _("BG/NBD"),
    PARETO_NBD: _("Pareto/NBD"),
    GAMMA_GAMMA: _("Gamma-Gamma"),
}

PARAMETERS = {"alpha": "α", "beta": "β", "gamma": "γ"}

ROLES: dict[str, Promise] = {
    "customer": _("customer"),
    "date": _("date"),
    "amount": _("amount"),
    "cost": _("cost"),
    "quantity": _("quantity"),
}

REJECTION_REASONS: dict[str, Promise] = {
    reading.MISSING: _("empty"),
    reading.UNRECOGNISED_DATE: _(
        "not a date (use 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 or 20240305)"
    ),
    reading.INVALID_DATE: _("no such calendar date"),
    reading.NOT_A_NUMBER: _("not a number"),
    reading.NOT_FINITE: _("not a finite number"),
}

TIERS: dict[str, Promise] = {
    tiers.STRATEGIC: _("Strategic"),
    tiers.KEY: _("Key"),
    tiers.MAJOR: _("Major"),
    tiers.GENERAL: _("General"),
}

CHURN_LEVELS: dict[str, Promise] = {
    churn.LOW: _("Low"),
    churn.MEDIUM: _("Medium"),
    churn.HIGH: _("High"),
}

CUSTOMER_COLUMNS: dict[str, Promise] = {
    "customer_id": _("customer"),
    "first_purchase": _("first purchase"),
    "last_purchase": _("last purchase"),
    "order_lines": _("order lines"),
    "purchase_days": _("purchase days"),
    "quantity": _("quantity"),
    "revenue": _("revenue"),
    "cost": _("cost"),
    "profit": _("margin"),
    "margin_rate": _("margin rate used for CLV"),
    "x": _("repeat purchases"),
    "t_x": _("recency (time units)"),
    "T": _("age (time units)"),
    "monetary_value": _("mean repeat spend"),
    "p_alive": _("probability alive"),
    "expected_purchases": _("expected purchases over the horizon"),
    "expected_spend": _("expected spend per purchase"),
    "discounted_purchases": _("discounted expected purchases"),
    "clv": _("customer lifetime value"),
    "holdout_purchases": _("holdout purchases, actual"),
    "expected_holdout_purchases": _("holdout purchases, expected"),
    "holdout_revenue": _("holdout revenue"),
    "revenue_rank": _("revenue rank"),
    "revenue_share": _("share of revenue"),
    "cumulative_revenue_share": _("cumulative revenue share"),
    "abc_class": _("ABC class (revenue)"),
    "profit_rank": _("margin rank"),
    "profit_share": _("share of margin"),
    "cumulative_profit_share": _("cumulative margin share"),
    "profit_abc_class": _("ABC class (profit)"),
    "revenue_12m": _("revenue, last 12 months"),
    "tier_measure": _("annual revenue for the tier rules"),
    "tier": _("tier proposal"),
    "mean_gap_days": _("mean days between purchases"),
    "gap_cv": _("variation of the gaps (CV)"),
    "active_months_12m": _("months with a purchase, last 12"),
    "repeat_rate": _("repeat-purchase rate"),
    "repeat_axis": _("repeat purchasing"),
    "days_since_last": _("days since last purchase"),
    "usual_gap_days": _("usual days between purchases (own, else the median)"),
    "trailing_change": _("revenue change, last 6 months"),
    "churn_points": _("churn points"),
    "churn_level": _("churn risk"),
    "churn_reasons": _("churn reasons"),
}

MODEL_COLUMNS: dict[str, Promise] = {
    "p_alive": _("probability alive"),
    "expected_purchases": _("expected purchases over the horizon"),
    "expected_holdout_purchases": _("holdout purchases, expected"),
}


def column(key: str) -> str:
    """The heading of a customer column; model-specific ones name their model."""
    if key in CUSTOMER_COLUMNS:
        return str(CUSTOMER_COLUMNS[key])
    for model, model_label in MODELS.items():
        suffix = f"_{model}"
        if key.endswith(suffix) and key[: -len(suffix)] in MODEL_COLUMNS:
            figure = MODEL_COLUMNS[key[: -len(suffix)]]
            return gettext("%(figure)s (%(model)s)") % {"figure": figure, "model": model_label}
    return key


def model(name: str | None) -> str:
    return str(MODELS.get(name or "", name or "–"))


def parameter(name: str) -> str:
    return PARAMETERS.get(name, name)


def rejection_reason(code: str) -> str:
    return str(REJECTION_REASONS.get(code, code))


def tier(code: str) -> str:
    return str(TIERS.get(code, code))


def churn_level(code: str) -> str:
    return str(CHURN_LEVELS.get(code, code))


def churn_reason(code: str) -> str:
    t = churn.ChurnThresholds()
    texts = {
        churn.P_ALIVE_LOW: gettext("probability alive below %(p)s") % {"p": f"{t.p_alive_low:.0%}"},
        churn.P_ALIVE_VERY_LOW: gettext("probability alive below %(p)s")
        % {"p": f"{t.p_alive_very_low:.0%}"},
        churn.OVERDUE_VS_RHYTHM: gettext("silent for %(n)s times the usual gap")
        % {"n": f"{t.gap_ratio_overdue:g}"},
        churn.LONG_SILENCE: gettext("silent for %(n)s times the usual gap")
        % {"n": f"{t.gap_ratio_silence:g}"},
        churn.VOLUME_DECLINE: gettext("revenue down more than %(p)s in 6 months")
        % {"p": f"{-t.decline:.0%}"},
        churn.STEEP_DECLINE: gettext("revenue down more than %(p)s in 6 months")
        % {"p": f"{-t.steep_decline:.0%}"},
    }
    return texts.get(code, code)


def churn_reasons(codes: tuple[str, ...] | list[str]) -> str:
    return "; ".join(churn_reason(code) for code in codes)


WORDED_COLUMNS: dict[str, Callable[[Any], str]] = {
    "tier": tier,
    "churn_level": churn_level,
    "churn_reasons": churn_reasons,
}


def cell_texts(key: str, values: Sequence[Any] | NDArray[Any]) -> list[str]:
    """A text column's cells as the workbook and the customer table show them: codes (tiers,
    churn levels and reasons) worded, once per distinct code."""
    word = WORDED_COLUMNS.get(key)
    cells = values.tolist() if hasattr(values, "tolist") else list(values)
    if word is None:
        texts = isinstance(values, np.ndarray) and values.dtype.kind == "U"
        return cells if texts else [str(cell) for cell in cells]
    # Each distinct code worded once, then looked up in C (map), not in a Python loop.
    worded = {code: word(code) for code in dict.fromkeys(cells)}
    return list(map(worded.__getitem__, cells))


def note(item: Note) -> str:
    """A note of the pipeline as a sentence."""
    params = dict(item.params)
    for key in ("model", "wanted", "used"):
        if key in params:
            params[key] = model(str(params[key]))
    if "factor" in params:
        params["factor"] = f"{float(str(params['factor'])):.2f}"
    template = NOTES.get(item.code)
    return str(template) % params if template is not None else item.code


NOTES: dict[str, Promise] = {
    "key_needs_leader": _(
        "The key tier needs an industry-leading position, which a plain export does not hold, "
        "so no customer is proposed as key (%(customers)s reach the key threshold on sales "
        "alone). Use --no-leader-rule to propose key on sales alone."
    ),
    "tiers_annualised": _(
        "The file covers %(days)s days up to the calibration end: revenue was annualised "
        "(× %(factor)s) before the tier thresholds were applied."
    ),
    "loyalty_preference_unknown": _(
        "Loyalty types need the preference axis (share of wallet, satisfaction), which a plain "
        "export does not hold: only the repeat-purchasing axis is given."
    ),
    "customers_after_calibration": _(
        "%(customers)s customers first bought after the calibration end: they are left out."
    ),
    "return_days": _(
        "%(days)s customer-days add up to a negative amount (returns): they count in revenue "
        "but not as purchases."
    ),
    "cost_filled": _(
        "%(rows)s rows have no cost: they were costed at the cost ratio of the rows that have one."
    ),
    "model_failed": _("%(model)s could not be fitted: %(error)s"),
    "primary_fallback": _(
        "%(wanted)s could not be fitted: probability alive, CLV and churn use %(used)s."
    ),
    "no_purchase_model": _(
        "No purchase model could be fitted: there is no probability alive, no expected purchases "
        "and no CLV."
    ),
    "no_clv": _("Gamma-Gamma could not be fitted (%(error)s): there is no CLV."),
    "spend_zero_excluded": _(
        "%(customers)s customers whose repeat purchases add up to zero were left out of the "
        "Gamma-Gamma fit."
    ),
}

TIME_UNITS: dict[str, Promise] = {
    "day": _("days"),
    "week": _("weeks"),
    "month": _("months"),
    "year": _("years"),
}

MARGIN_SOURCES: dict[str, Promise] = {
    "option": _("given with --margin"),
    "cost": _("per customer, from the cost column"),
    "default": _("1.0 (no cost column)"),
}
