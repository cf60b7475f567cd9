"""An account's revenue forecast, one reading for every page (issue 15): the portfolio refresh
computes it once (services.portfolio_figures: the damped trend of the last three 12-month
windows blended with the purchase model's expected purchases times expected spend, weighted
by the settings' `forecast_model_weight`) and stores next year and the year after on the
snapshot; the account chart's monthly band, the portfolio analysis (组合分析) columns, the
account list and its exports read those two figures here, never a model of their own, so one
account shows one forecast everywhere, with one line that says how it was made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from scipy.stats import poisson

from openkam.accounts.models import Account
from openkam.analytics import portfolio
from openkam.common.months import add_months
from openkam.portfolio.models import AccountSnapshot

# The monthly band: the 10th and 90th percentiles of a month's purchases.
BAND = (0.1, 0.9)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def forecast_explanation(method: str) -> str:
    """How the refresh made the forecast, in one line (the method is stored on the snapshot)."""
    if method == portfolio.TREND:
        return _(
            "Forecast: the last three years' revenue trend, growth damped year by year; "
            "open opportunities not included."
        )
    if method == portfolio.MODEL:
        return _(
            "Forecast: the purchase model (how often the customer buys and what it spends per "
            "purchase, from its whole purchase history); open opportunities not included."
        )
    return _(
        "Forecast: the last three years' revenue trend (damped) blended with the purchase "
        "model (how often the customer buys and what it spends per purchase); open "
        "opportunities not included."
    )


def list_explanation() -> str:
    """The line of a list's forecast column, whose rows may come from different methods."""
    return _(
        "Forecast of next year from the latest portfolio refresh: the last three years' revenue "
        "trend and/or the purchase model, as the portfolio settings weigh them; open "
        "opportunities not included."
    )


@dataclass(frozen=True)
class RevenueForecast:
    next_year: Decimal
    year_after: Decimal
    method: str
    expected_purchases_12m: float | None  # the purchase model's, for the monthly band

    @property
    def explanation(self) -> str:
        return forecast_explanation(self.method)

    def monthly(self, *, after: dt.date, months: int = 12) -> dict[str, object]:
        """The chart's band over the `months` after `after`: a twelfth of next year's forecast
        a month, so the months add up to the figure the tables show; the band spreads it as
        the purchase model expects a month's purchases to vary (Poisson at its rate, whose
        conditional expectation already weighs P(alive)). Without a model rate the band is
        the line itself."""
        mean = float(self.next_year) / 12
        rate = (self.expected_purchases_12m or 0.0) / 12
        if rate > 0:
            low, high = (mean * float(poisson.ppf(q, rate)) / rate for q in BAND)
        else:
            low = high = mean
        return {
            "months": [f"{add_months(after, step):%Y-%m}" for step in range(1, months + 1)],
            "mean": round(mean, 2),
            "low": round(low, 2),
            "high": round(high, 2),
            "next_year": round(float(self.next_year), 2),
            "explanation": self.explanation,
        }


def revenue_forecast(snapshot: AccountSnapshot | None) -> RevenueForecast | None:
    """The snapshot's forecast, None for an account never analysed."""
    if snapshot is None:
        return None
    return RevenueForecast(
        next_year=snapshot.forecast_year_1,
        year_after=snapshot.forecast_year_2,
        method=snapshot.forecast_method,
        expected_purchases_12m=snapshot.expected_purchases_12m,
    )


def with_forecast(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """`accounts` with their latest snapshot's forecast of next year as `snapshot_forecast`
    (None where never analysed), one correlated subquery on the (account, as_of) index."""
    newest = AccountSnapshot.objects.filter(account_id=OuterRef("pk")).order_by("-as_of")
    return accounts.annotate(
        snapshot_forecast=Subquery(newest.values("forecast_year_1")[:1], output_field=MONEY)
    )
