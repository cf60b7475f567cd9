"""The ten KPIs (十项指标) of a scope (company, team, KAM) and a period (issue 14).

Every figure is computed in the database from the ledger's monthly aggregates (AccountMonth),
the order lines' delivery dates, the portfolio snapshots, the KAMs' forecasts and the survey
answers: one query per KPI, whatever the number of accounts. A KPI without data in the period
(satisfaction when no survey was answered) is "no data yet" (value None, `available` False).
Rates are fractions (0.25 is 25 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.ledger.models import AccountDeliveryMonth, AccountMonth
from openkam.performance.models import Forecast
from openkam.performance.periods import Period
from openkam.portfolio.models import AccountSnapshot
from openkam.surveys.models import Response

CSAT_FIELDS = ("csat_product", "csat_service", "csat_sales")

ZERO = Decimal("0")
# An order line delivered in full by its promised date (KPI 10's late lines). The KPI and its
# trend read the same rule counted per account and promised month (ledger.AccountDeliveryMonth,
# ledger.services.ON_TIME_SQL), kept with the ledger's monthly aggregates.
ON_TIME_IN_FULL = Q(
    delivered_date__isnull=False,
    delivered_date__lte=F("promised_date"),
    delivered_quantity__gte=F("quantity"),
)


@dataclass(frozen=True)
class Kpi:
    key: str
    name: Promise
    definition: Promise
    unit: str  # "money", "rate", "times", "score"
    value: Decimal | float | None
    detail: dict[str, Decimal | float | int | None]

    @property
    def available(self) -> bool:
        return self.value is not None


DEFINITIONS: dict[str, tuple[Promise, Promise, str]] = {
    "sales": (
        _("Sales amount and volume"),
        _("Net sales (excluding VAT) invoiced to the accounts in the period, and the quantity."),
        "money",
    ),
    "margin_rate": (
        _("Gross margin rate"),
        _(
            "(Sales − cost of goods) ÷ sales, in the period. Against a target: "
            "1 + (actual − target) ÷ |target|, so a loss (a negative rate) attains below 0 %."
        ),
        "rate",
    ),
    "receivables_turnover": (
        _("Receivables turnover"),
        _(
            "Sales of the last twelve months ÷ open receivables, on the latest snapshot taken "
            "by the end of the period."
        ),
        "times",
    ),
    "growth": (
        _("Sales growth rate"),
        _(
            "(Sales in the period − sales in the same period a year before) ÷ the latter. "
            "Against a target: 1 + (actual − target) ÷ |target|, so with a target of −5 % "
            "(a fall allowed) −2 % attains 160 % and −10 % attains 0 %; with a target of "
            "+10 %, −5 % attains −50 %."
        ),
        "rate",
    ),
    "forecast_accuracy": (
        _("Sales-forecast accuracy"),
        _(
            "1 − Σ|forecast − actual| ÷ Σ actual over the accounts' quarters in the period "
            "(absolute percentage error weighted by revenue), for the KAMs and for the model."
        ),
        "rate",
    ),
    "satisfaction": (
        _("Customer satisfaction"),
        _(
            "The mean of the satisfaction scores (product, service, sales staff; 1 to 5) of "
            "the survey answers received in the period."
        ),
        "score",
    ),
    "share_of_wallet": (
        _("Share of wallet"),
        _(
            "Our sales ÷ the account's purchases of the category, weighted by our sales, on "
            "the latest snapshot taken by the end of the period."
        ),
        "rate",
    ),
    "new_customer_rate": (
        _("New-customer acquisition rate"),
        _(
            "Accounts whose first purchase ever falls in the period ÷ accounts buying in the "
            "period."
        ),
        "rate",
    ),
    "retention_rate": (
        _("Customer retention rate"),
        _(
            "Accounts that bought in the period of the same length just before and buy again "
            "in this one ÷ accounts that bought in that earlier period."
        ),
        "rate",
    ),
    "on_time_rate": (
        _("On-time and accurate order rate"),
        _(
            "Order lines promised in the period delivered in full by the promised date ÷ "
            "order lines promised in the period."
        ),
        "rate",
    ),
}


def attained(actual: Decimal | float | None, target: Decimal | float | None) -> float | None:
    """The attainment of a target: 1 + (actual − target) ÷ |target|. For a positive target
    that is actual ÷ target (a negative actual, a fall or a loss, attains below 0 %); below a
    negative target (growth of −5 %: a fall allowed) a smaller fall attains more than 100 %,
    the target itself 100 % and twice the fall 0 %. None without an actual or a target other
    than zero."""
    if actual is None or target is None or not target:
        return None
    value, aim = Decimal(str(actual)), Decimal(str(target))
    return float(1 + (value - aim) / abs(aim))


def _ratio(numerator: Decimal | float | None, denominator: Decimal | float | None) -> float | None:
    if not denominator:
        return None
    return float(Decimal(str(numerator or 0)) / Decimal(str(denominator)))


def _months(accounts: QuerySet[Account], period: Period) -> QuerySet[AccountMonth]:
    return AccountMonth.objects.filter(
        account__in=accounts, month__gte=period.start, month__lte=period.end
    )


def _buyers(accounts: QuerySet[Account], period: Period) -> QuerySet[AccountMonth, Any]:
    return _months(accounts, period).filter(revenue__gt=0).values("account_id").distinct()


def deliveries(accounts: QuerySet[Account], period: Period) -> dict[str, int]:
    """Order lines promised in the period and those delivered in full by the promised date."""
    row = AccountDeliveryMonth.objects.filter(
        account__in=accounts, month__gte=period.start, month__lte=period.end
    ).aggregate(promised=Sum("lines_due"), on_time=Sum("lines_on_time"))
    return {key: int(row[key] or 0) for key in ("promised", "on_time")}


def sales_and_margin(accounts: QuerySet[Account], period: Period) -> dict[str, Decimal]:
    row = _months(accounts, period).aggregate(
        revenue=Sum("revenue"), cost=Sum("cost"), quantity=Sum("quantity")
    )
    return {key: row[key] or ZERO for key in ("revenue", "cost", "quantity")}


def _latest_snapshots(accounts: QuerySet[Account], period: Period) -> QuerySet[AccountSnapshot]:
    latest = AccountSnapshot.objects.filter(as_of__lte=period.last_day).aggregate(Max("as_of"))
    return AccountSnapshot.objects.filter(account__in=accounts, as_of=latest["as_of__max"])


def forecast_accuracy(accounts: QuerySet[Account], period: Period) -> dict[str, float | None]:
    """Revenue-weighted accuracy of the KAMs' and the model's quarterly forecasts."""
    quarters = period.quarters()
    if not quarters:
        return {"kam": None, "model": None}
    condition = Q()
    for year, quarter in quarters:
        condition |= Q(year=year, quarter=quarter)
    forecasts = Forecast.objects.filter(condition, account__in=accounts)
    # The actual of a forecast: its account's revenue in the quarter, summed in the database.
    actual = (
        AccountMonth.objects.filter(
            account=OuterRef("account"),
            month__year=OuterRef("year"),
            month__quarter=OuterRef("quarter"),
        )
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    # One row per forecast (account and quarter), never per ledger row.
    rows = forecasts.annotate(actual=Coalesce(Subquery(actual), ZERO)).values_list(
        "amount", "model_amount", "actual"
    )
    actual_total = kam_error = model_error = ZERO
    for kam_says, model_says, actual_value in rows:
        actual_total += actual_value
        kam_error += abs(kam_says - actual_value)
        model_error += abs(model_says - actual_value)
    if not actual_total:
        return {"kam": None, "model": None}
    return {
        "kam": 1 - float(kam_error / actual_total),
        "model": 1 - float(model_error / actual_total),
    }


def satisfaction(accounts: QuerySet[Account], period: Period) -> dict[str, Decimal | int | None]:
    """The pooled mean of the CSAT answers of the survey answers received in the period."""
    answers = Response.objects.filter(
        account__in=accounts,
        answered_at__date__gte=period.start,
        answered_at__date__lte=period.last_day,
    )
    totals = answers.aggregate(
        answers=Count("pk"),
        **{f"sum_{name}": Sum(name) for name in CSAT_FIELDS},
        **{f"n_{name}": Count(name) for name in CSAT_FIELDS},
    )
    score_sum = sum((totals[f"sum_{name}"] or 0 for name in CSAT_FIELDS), 0)
    scores = sum((totals[f"n_{name}"] or 0 for name in CSAT_FIELDS), 0)
    mean = Decimal(score_sum) / Decimal(scores) if scores else None
    return {"mean": mean, "answers": totals["answers"], "scores": scores}


def compute(accounts: QuerySet[Account], period: Period) -> list[Kpi]:
    """The ten KPIs of the accounts (a scope) in the period, in the sources' order."""
    now = sales_and_margin(accounts, period)
    before = sales_and_margin(accounts, period.year_before())
    values: dict[str, tuple[Decimal | float | None, dict[str, Decimal | float | int | None]]] = {}
    values["sales"] = (now["revenue"], {"quantity": now["quantity"]})
    margin = now["revenue"] - now["cost"]
    values["margin_rate"] = (_ratio(margin, now["revenue"]), {"margin": margin})
    snap = _latest_snapshots(accounts, period).aggregate(
        revenue=Sum("revenue_12m"),
        ar_open=Sum("ar_open"),
        wallet_weighted=Sum(
            ExpressionWrapper(F("share_of_wallet") * F("revenue_12m"), output_field=FloatField()),
            filter=Q(share_of_wallet__isnull=False),
        ),
        wallet_revenue=Sum("revenue_12m", filter=Q(share_of_wallet__isnull=False)),
    )
    values["receivables_turnover"] = (
        _ratio(snap["revenue"], snap["ar_open"]),
        {"ar_open": snap["ar_open"]},
    )
    growth = _ratio(now["revenue"] - before["revenue"], before["revenue"])
    values["growth"] = (growth, {"previous": before["revenue"]})
    accuracy = forecast_accuracy(accounts, period)
    values["forecast_accuracy"] = (accuracy["kam"], {"model": accuracy["model"]})
    csat = satisfaction(accounts, period)
    values["satisfaction"] = (
        None if csat["mean"] is None else float(csat["mean"]),
        {"answers": csat["answers"]},
    )
    values["share_of_wallet"] = (
        _ratio(snap["wallet_weighted"], snap["wallet_revenue"]),
        {},
    )
    buyers = _buyers(accounts, period)
    buying = buyers.count()
    first_ever = (
        AccountMonth.objects.filter(account__in=accounts, revenue__gt=0)
        .values("account_id")
        .annotate(first=Min("month"))
        .filter(first__gte=period.start, first__lte=period.end)
        .count()
    )
    values["new_customer_rate"] = (
        _ratio(first_ever, buying),
        {"new": first_ever, "buying": buying},
    )
    base = _buyers(accounts, period.before())
    base_count = base.count()
    kept = base.filter(account_id__in=buyers).count()
    values["retention_rate"] = (_ratio(kept, base_count), {"kept": kept, "base": base_count})
    lines = deliveries(accounts, period)
    values["on_time_rate"] = (
        _ratio(lines["on_time"], lines["promised"]),
        {"on_time": lines["on_time"], "promised": lines["promised"]},
    )
    return [
        Kpi(key, name, definition, unit, *values[key])
        for key, (name, definition, unit) in DEFINITIONS.items()
    ]
