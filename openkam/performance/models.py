"""Targets (目标设定与分解) and the KAMs' sales forecasts (issue 14).

A target is one metric for one year, set for the company, a team, a KAM or an account, with
its twelve monthly amounts (the quarters are their sums). A team's target is decomposed to its
KAMs; the children need not add up to the parent: the difference is the gap, shown, not refused.
Once an executive approves a target it is locked: a change is still possible, with a reason,
and the history keeps every version with that reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.common.models import MoneyField, TimeStamped


class Level(models.TextChoices):
    COMPANY = "company", _("Company")
    TEAM = "team", _("Team")
    KAM = "kam", _("Key account manager")
    ACCOUNT = "account", _("Account")


# The level a target is decomposed to.
CHILD_LEVEL = {Level.COMPANY: Level.TEAM, Level.TEAM: Level.KAM, Level.KAM: Level.ACCOUNT}


class Metric(models.TextChoices):
    SALES = "sales", _("Sales amount")
    MARGIN = "margin", _("Gross margin")
    COLLECTIONS = "collections", _("Collections")
    NEW_KEY_ACCOUNTS = "new_key_accounts", _("New key accounts")


class TargetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Target(TimeStamped):
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    team = models.ForeignKey(
        "team.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True
    )
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("decomposed from"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    amount = MoneyField(_("year target"))
    # Twelve amounts as strings ("1250.00"), January first; they add up to the year's amount.
    months = models.JSONField(_("monthly split"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=TargetStatus.choices, default=TargetStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "level", "metric", "pk"]
        indexes = [
            models.Index(fields=["year", "level", "team"]),
            models.Index(fields=["kam", "year"]),
        ]

    def __str__(self) -> str:
        owner = self.account or self.kam or self.team or _("Company")
        return f"{self.year} {owner} {self.get_metric_display()}"

    @property
    def locked(self) -> bool:
        return self.status == TargetStatus.APPROVED

    def month_amounts(self) -> list[Decimal]:
        return [Decimal(value) for value in self.months] or [Decimal("0")] * 12

    def quarter_amounts(self) -> list[Decimal]:
        months = self.month_amounts()
        return [sum(months[q * 3 : q * 3 + 3], Decimal("0")) for q in range(4)]


class Forecast(TimeStamped):
    """A KAM's forecast of one account's sales in one quarter, beside the model's."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.PROTECT,
        related_name="forecasts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = MoneyField(_("KAM's forecast"))
    model_amount = MoneyField(_("model's forecast"))
    accepted_model = models.BooleanField(_("model's forecast accepted"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["year", "quarter", "account_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year", "quarter"], name="forecast_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="forecast_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year}-Q{self.quarter}"


# The ten KPIs' keys (performance.kpis.DEFINITIONS), as choices of a weight.
class KpiKey(models.TextChoices):
    SALES = "sales", _("Sales amount and volume")
    MARGIN_RATE = "margin_rate", _("Gross margin rate")
    RECEIVABLES_TURNOVER = "receivables_turnover", _("Receivables turnover")
    GROWTH = "growth", _("Sales growth rate")
    FORECAST_ACCURACY = "forecast_accuracy", _("Sales-forecast accuracy")
    SATISFACTION = "satisfaction", _("Customer satisfaction")
    SHARE_OF_WALLET = "share_of_wallet", _("Share of wallet")
    NEW_CUSTOMER_RATE = "new_customer_rate", _("New-customer acquisition rate")
    RETENTION_RATE = "retention_rate", _("Customer retention rate")
    ON_TIME_RATE = "on_time_rate", _("On-time and accurate order rate")


class KpiWeight(TimeStamped):
    """One KPI's weight (percent) and target in the appraisal, for the company (no team) or a
    team (which then overrides the company's for its KAMs). Without rows, the defaults of
    `performance.appraisals.DEFAULT_WEIGHTS` apply. The sales KPI's target is the KAM's sales
    target for the period (Target), never a value here."""

    team = models.ForeignKey(
        "team.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True
    )
    kpi = models.CharField(_("KPI"), max_length=30, choices=KpiKey.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("KPI weight")
        verbose_name_plural = _("KPI weights")
        ordering = ["team_id", "kpi"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kpi"],
                condition=models.Q(team__isnull=False),
                name="kpi_weight_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["kpi"], condition=models.Q(team__isnull=True), name="kpi_weight_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team or _('Company')} {self.kpi} {self.weight}"


class AppraisalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    KAM_SIGNED = "kam_signed", _("Signed by the KAM")
    MANAGER_SIGNED = "manager_signed", _("Signed by the manager")
    CLOSED = "closed", _("Closed")


class Appraisal(TimeStamped):
    """The appraisal form (业务人员考核表) of one KAM for one period: the KPI lines as scored
    when the manager opened or refreshed it (weight, target, actual, attainment, score), the
    manager's ratings and comments, the KAM's comments, and both signatures."""

    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    team = models.ForeignKey("team.Team", verbose_name=_("team"), on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=7)
    lines = models.JSONField(_("KPI lines"), default=list)
    kpi_score = models.DecimalField(_("KPI score"), max_digits=6, decimal_places=1, default=0)
    ratings = models.JSONField(_("manager's ratings"), default=dict)
    manager_comment = models.TextField(_("manager's comments"), blank=True)
    kam_comment = models.TextField(_("KAM's comments"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AppraisalStatus.choices, default=AppraisalStatus.DRAFT
    )
    kam_signed_at = models.DateTimeField(_("signed by the KAM"), null=True, blank=True)
    manager_signed_at = models.DateTimeField(_("signed by the manager"), null=True, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-period", "kam_id"]
        constraints = [
            models.UniqueConstraint(fields=["kam", "period"], name="appraisal_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.kam} {self.period}"


class CommissionBasis(models.TextChoices):
    SALES = "sales", _("Net sales")
    MARGIN = "margin", _("Gross margin")


class PayPlan(TimeStamped):
    """A KAM's pay for a year: the annual salary and the commission (a rate by tier of
    attainment, times the accelerator above target, on net sales or on gross margin), earned
    as the customers pay (回款). Share ownership is a note, not computed."""

    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.PROTECT,
        related_name="pay_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    annual_salary = MoneyField(_("annual salary"))
    basis = models.CharField(
        _("commission basis"),
        max_length=10,
        choices=CommissionBasis.choices,
        default=CommissionBasis.SALES,
    )
    # [{"from": "0.8", "rate": "0.02"}, ...]: attainment from which a rate applies (fractions).
    tiers = models.JSONField(_("commission tiers"), default=list)
    accelerator = models.DecimalField(
        _("accelerator above target"), max_digits=4, decimal_places=2, default=Decimal("1")
    )
    share_note = models.TextField(_("share ownership"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("pay plan")
        verbose_name_plural = _("pay plans")
        ordering = ["-year", "kam_id"]
        constraints = [
            models.UniqueConstraint(fields=["kam", "year"], name="pay_plan_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.kam} {self.year}"

    def tier_list(self) -> list[tuple[Decimal, Decimal]]:
        """(attainment from, rate), lowest first."""
        rows = [(Decimal(str(t["from"])), Decimal(str(t["rate"]))) for t in self.tiers]
        return sorted(rows)


class KpiFigures(models.Model):
    """The ten KPIs of one scope ("company", "team:ID", "kam:ID") and period with their trends
    (and, for the company, each team's actuals), as of one portfolio refresh: computed once
    per refresh (the company's current year as the refresh's warm-up, the others on their
    first reading), then read as one row, as the dashboard's figures are (DashboardCache)."""

    run = models.ForeignKey("portfolio.PortfolioRun", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("scope"), max_length=32)
    period = models.CharField(_("period"), max_length=7)
    payload = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("KPI figures")
        verbose_name_plural = _("KPI figures")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "scope", "period"], name="kpi_figures_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.scope} {self.period}"
