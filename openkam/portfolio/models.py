"""What the portfolio refresh computes and keeps: company settings for the analyses, one run
record per refresh, a dated snapshot per account (so every figure has a trend), the yearly tier
review with its proposals, and the scorecard criteria and scores (DOMAIN §2)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.accounts.models import Tier
from openkam.common.models import MoneyField, TimeStamped
from openkam.ledger import vat

SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class TierMeasure(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    PROFIT = "profit", _("Gross profit")


class TierPeriod(models.TextChoices):
    TRAILING_12_MONTHS = "ttm", _("Trailing twelve months")
    FISCAL_YEAR = "fiscal_year", _("Last complete fiscal year")


class PurchaseModel(models.TextChoices):
    BGNBD = "bgnbd", _("BG/NBD")
    PARETO_NBD = "pareto_nbd", _("Pareto/NBD")


class MatrixCut(models.TextChoices):
    """Where a value matrix is cut: at the portfolio's median, or at values the company sets."""

    MEDIAN = "median", _("the portfolio's median")
    FIXED = "fixed", _("fixed values")


class PortfolioSettings(TimeStamped):
    """The company's analysis settings; one row (pk=1), edited by analysts in the back office."""

    abc_a_cutoff = models.DecimalField(
        _("ABC: A up to cumulative share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
        validators=SHARE,
    )
    abc_b_cutoff = models.DecimalField(
        _("ABC: B up to cumulative share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.950"),
        validators=SHARE,
    )
    tier_measure = models.CharField(
        _("tier measure"), max_length=10, choices=TierMeasure.choices, default=TierMeasure.REVENUE
    )
    tier_period = models.CharField(
        _("tier period"),
        max_length=12,
        choices=TierPeriod.choices,
        default=TierPeriod.TRAILING_12_MONTHS,
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts (month)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    key_threshold = MoneyField(_("key account threshold"), default=Decimal("20000000"))
    major_threshold = MoneyField(_("major account threshold"), default=Decimal("5000000"))
    key_requires_leader = models.BooleanField(
        _("key accounts must lead their industry"), default=True
    )
    major_requires_mid_or_leader = models.BooleanField(
        _("major accounts must be at least mid-sized"), default=False
    )
    purchase_model = models.CharField(
        _("purchase model"),
        max_length=12,
        choices=PurchaseModel.choices,
        default=PurchaseModel.BGNBD,
    )
    discount_rate = models.DecimalField(
        _("yearly discount rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.10"),
        validators=SHARE,
    )
    clv_horizon_months = models.PositiveSmallIntegerField(
        _("CLV horizon (months)"), default=36, validators=[MinValueValidator(1)]
    )
    forecast_model_weight = models.DecimalField(
        _("weight of the purchase model in forecasts"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=SHARE,
    )
    loyalty_preference_cut = models.DecimalField(
        _("loyalty: high preference from"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=SHARE,
    )
    loyalty_repeat_cut = models.DecimalField(
        _("loyalty: high repeat purchasing from"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=SHARE,
    )
    portfolio_attractiveness_cut = models.PositiveSmallIntegerField(
        _("portfolio matrix: high attractiveness from (0-100)"),
        default=50,
        validators=[MaxValueValidator(100)],
    )
    portfolio_strength_cut = models.PositiveSmallIntegerField(
        _("portfolio matrix: high relative strength from (0-100)"),
        default=50,
        validators=[MaxValueValidator(100)],
    )
    portfolio_cut = models.CharField(
        _("portfolio matrix: cut at"),
        max_length=10,
        choices=MatrixCut.choices,
        default=MatrixCut.FIXED,
        help_text=_("Fixed values: the two cuts above."),
    )
    sales_profit_cut = models.CharField(
        _("sales x profit matrix: cut at"),
        max_length=10,
        choices=MatrixCut.choices,
        default=MatrixCut.MEDIAN,
    )
    sales_profit_revenue_cut = MoneyField(
        _("sales x profit: high revenue from (fixed)"), default=Decimal("1000000")
    )
    sales_profit_margin_cut = MoneyField(
        _("sales x profit: high gross profit from (fixed)"), default=Decimal("200000")
    )
    volume_loyalty_cut = models.CharField(
        _("volume x loyalty matrix: cut volume at"),
        max_length=10,
        choices=MatrixCut.choices,
        default=MatrixCut.MEDIAN,
        help_text=_("Loyalty is always cut at the loyalty cuts' mean."),
    )
    volume_loyalty_revenue_cut = MoneyField(
        _("volume x loyalty: high volume from (fixed)"), default=Decimal("1000000")
    )

    default_vat_rate = models.DecimalField(
        vat.DEFAULT_RATE_LABEL,
        max_digits=5,
        decimal_places=4,
        default=vat.DEFAULT_RATE,
        validators=SHARE,
        help_text=vat.DEFAULT_RATE_HELP,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("portfolio settings")
        verbose_name_plural = _("portfolio settings")

    def __str__(self) -> str:
        return str(_("Portfolio settings"))

    @classmethod
    def current(cls) -> PortfolioSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class PortfolioRun(models.Model):
    """One refresh: when, by whom, with which settings, what the models estimated."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    parameters = models.JSONField(_("settings used"), default=dict)
    models_fitted = models.JSONField(_("fitted models"), default=dict)
    concentration = models.JSONField(_("concentration"), default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("portfolio refresh")
        verbose_name_plural = _("portfolio refreshes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.get_status_display()})"


class AccountSnapshot(models.Model):
    """Every figure the refresh computed for one account on one date."""

    run = models.ForeignKey(PortfolioRun, on_delete=models.CASCADE, related_name="snapshots")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="snapshots", db_index=False
    )
    as_of = models.DateField(_("as of"))
    # Revenue and margin (DOMAIN §2.1, §2.8)
    revenue_12m = MoneyField(_("revenue, last 12 months"))
    cost_12m = MoneyField(_("cost, last 12 months"))
    revenue_prev_12m = MoneyField(_("revenue, 12 months before"))
    revenue_year_2 = MoneyField(_("revenue two years ago"))
    revenue_year_1 = MoneyField(_("revenue last year"))
    revenue_year_0 = MoneyField(_("revenue this year"))
    forecast_year_1 = MoneyField(_("forecast next year"))
    forecast_year_2 = MoneyField(_("forecast the year after"))
    forecast_method = models.CharField(_("forecast method"), max_length=20, blank=True)
    direct_cost = MoneyField(_("direct cost to serve"))
    indirect_cost = MoneyField(_("indirect cost to serve"))
    net_contribution = MoneyField(_("net contribution"))
    # Every column of the portfolio analysis (组合分析): revenue, cost of goods, direct and
    # indirect cost to serve and net contribution, keyed by portfolio.services.ANALYSIS_COLUMNS.
    portfolio_analysis = models.JSONField(_("portfolio analysis"), default=dict)
    abc_revenue = models.CharField(_("ABC class (revenue)"), max_length=1, blank=True)
    abc_profit = models.CharField(_("ABC class (profit)"), max_length=1, blank=True)
    revenue_rank = models.PositiveIntegerField(_("revenue rank"), null=True)
    revenue_cumulative_share = models.FloatField(_("cumulative revenue share"), null=True)
    # Tiers (DOMAIN §2.2)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    tier_proposed = models.CharField(_("proposed tier"), max_length=20, choices=Tier.choices)
    # Purchase model and CLV (DOMAIN §2.3)
    purchase_days = models.PositiveIntegerField(_("purchase days"), default=0)
    frequency = models.PositiveIntegerField(_("repeat purchases"), default=0)
    recency_weeks = models.FloatField(_("recency (weeks)"), null=True)
    age_weeks = models.FloatField(_("age (weeks)"), null=True)
    p_alive = models.FloatField(_("probability alive"), null=True)
    expected_purchases_12m = models.FloatField(_("expected purchases, next 12 months"), null=True)
    expected_spend = MoneyField(_("expected spend per purchase"), null=True)
    clv = MoneyField(_("customer lifetime value"), null=True)
    # Net of the cost to serve over the same horizon: negative for a value destroyer.
    clv_net = MoneyField(_("net customer value"), null=True, default=None)
    # Loyalty and matrices (DOMAIN §2.4, §2.5, §2.7)
    share_of_wallet = models.FloatField(_("share of wallet"), null=True)
    mean_gap_days = models.FloatField(_("mean days between purchases"), null=True)
    gap_cv = models.FloatField(_("purchase irregularity (CV)"), null=True)
    loyalty_preference = models.FloatField(_("relative preference"), null=True)
    loyalty_repeat = models.FloatField(_("repeat purchasing"), null=True)
    loyalty_type = models.CharField(_("loyalty type"), max_length=10, blank=True)
    sales_profit_quadrant = models.CharField(_("sales x profit"), max_length=20, blank=True)
    volume_loyalty_quadrant = models.CharField(_("volume x loyalty"), max_length=20, blank=True)
    attractiveness = models.FloatField(_("attractiveness (0-100)"), null=True)
    attractiveness_coverage = models.FloatField(_("scorecard coverage"), null=True)
    relative_strength = models.FloatField(_("relative strength (0-100)"), null=True)
    portfolio_quadrant = models.CharField(_("portfolio matrix"), max_length=20, blank=True)
    # Churn (DOMAIN §6)
    days_since_last_purchase = models.PositiveIntegerField(_("days since last purchase"), null=True)
    churn_level = models.CharField(_("churn risk"), max_length=10, blank=True)
    churn_reasons = models.JSONField(_("churn reasons"), default=list)
    # Receivables (DOMAIN §6)
    ar_open = MoneyField(_("open receivables"))
    ar_overdue = MoneyField(_("overdue receivables"))
    ar_ageing = models.JSONField(_("receivables ageing"), default=dict)
    dso_days = models.FloatField(_("DSO (days)"), null=True)
    ar_turnover = models.FloatField(_("receivables turnover"), null=True)
    credit_limit_use = models.FloatField(_("credit limit use"), null=True)

    class Meta:
        verbose_name = _("account snapshot")
        verbose_name_plural = _("account snapshots")
        constraints = [
            models.UniqueConstraint(fields=["account", "as_of"], name="snapshot_once_per_day")
        ]
        indexes = [models.Index(fields=["run", "account"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.as_of}"


class TierReview(TimeStamped):
    """The year's classification (客户分级评审): marketing (an analyst) opens it, which computes
    the proposals from the tier policy; adds, changes or withdraws proposals with a
    justification and submits; the general manager (an executive) decides each proposal. It
    closes when every proposal is decided (DOMAIN §2.2). The workflow lives in
    openkam.governance; the rows live here, beside the figures they are decided on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being prepared")
        SUBMITTED = "submitted", _("Awaiting decisions")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    run = models.ForeignKey(
        PortfolioRun,
        verbose_name=_("figures of the refresh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("tier review")
        verbose_name_plural = _("tier reviews")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Tier review %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("governance:review", args=[self.pk])


class TierProposal(TimeStamped):
    """One account's tier change in a review: computed from the tier policy when the review is
    opened, or added by the analyst; each with a justification; decided by the general manager
    with a comment. Rows without a review are the refreshes' proposals of earlier releases."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Superseded")

    review = models.ForeignKey(
        TierReview,
        verbose_name=_("tier review"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="tier_proposals"
    )
    run = models.ForeignKey(
        PortfolioRun, on_delete=models.SET_NULL, null=True, related_name="tier_proposals"
    )
    current_tier = models.CharField(_("current tier"), max_length=20, choices=Tier.choices)
    policy_tier = models.CharField(
        _("tier by the policy"), max_length=20, choices=Tier.choices, blank=True
    )
    proposed_tier = models.CharField(_("proposed tier"), max_length=20, choices=Tier.choices)
    reason = models.TextField(_("justification"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("tier proposal")
        verbose_name_plural = _("tier proposals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="proposed"),
                name="one_open_tier_proposal_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.current_tier} -> {self.proposed_tier}"

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal", args=[self.pk])

    @property
    def is_manual(self) -> bool:
        """Added or changed by the analyst: the proposed tier is not the policy's."""
        return self.proposed_tier != self.policy_tier


class ScoringCriterion(TimeStamped):
    """A criterion of the attractiveness or relative-strength scorecard, weight editable."""

    class Scorecard(models.TextChoices):
        ATTRACTIVENESS = "attractiveness", _("Customer attractiveness")
        STRENGTH = "strength", _("Our relative strength")

    scorecard = models.CharField(_("scorecard"), max_length=20, choices=Scorecard.choices)
    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "key"], name="criterion_key_once")
        ]

    def __str__(self) -> str:
        return self.name


class TierServiceLevel(TimeStamped):
    """What an account of a tier is entitled to (分级差异化服务, DOMAIN §2.2): an executive
    sponsor, priority delivery, dedicated training and the technical-support response time (the
    service app's first-response deadline for the tier). The visit cadence is the interactions
    app's contact cadence of the tier. One row per tier, edited on the settings page."""

    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, unique=True)
    executive_sponsor = models.BooleanField(_("executive sponsor"), default=False)
    priority_delivery = models.BooleanField(_("priority delivery"), default=False)
    dedicated_training = models.BooleanField(_("dedicated training"), default=False)
    support_response_hours = models.PositiveSmallIntegerField(
        _("technical support responds within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service level of a tier")
        verbose_name_plural = _("service levels of the tiers")
        ordering = ["tier"]

    def __str__(self) -> str:
        return str(self.get_tier_display())

    @classmethod
    def of(cls, tier: str) -> TierServiceLevel:
        """The tier's row; the defaults when nobody set one."""
        found = cls.objects.filter(tier=tier).first()
        if found is not None:
            return found
        return cls(tier=tier, **DEFAULT_SERVICE_LEVELS.get(tier, {}))


# The policy's differentiated service (分级差异化服务) until the company sets its own.
DEFAULT_SERVICE_LEVELS: dict[str, dict[str, object]] = {
    Tier.STRATEGIC: {"executive_sponsor": True, "priority_delivery": True,
                     "dedicated_training": True, "support_response_hours": 2},
    Tier.KEY: {"executive_sponsor": True, "priority_delivery": True,
               "dedicated_training": True, "support_response_hours": 4},
    Tier.MAJOR: {"executive_sponsor": False, "priority_delivery": True,
                 "dedicated_training": False, "support_response_hours": 8},
    Tier.GENERAL: {"executive_sponsor": False, "priority_delivery": False,
                   "dedicated_training": False, "support_response_hours": 24},
}  # fmt: skip


class AccountScore(TimeStamped):
    """One account's 1-5 score on one criterion, with who gave it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("account score")
        verbose_name_plural = _("account scores")
        constraints = [
            models.UniqueConstraint(fields=["account", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.criterion_id}: {self.score}"


class DashboardCache(models.Model):
    """The dashboard's figures over one set of accounts for one refresh, computed once.

    Every figure the dashboard shows comes from a refresh's snapshots, which never change
    after the refresh except through a scorecard edit (which deletes the run's rows); so a
    page reads one row instead of aggregating every snapshot of a large portfolio. `scope`
    identifies the accounts and filters (a hash); `computed_at` bounds the figures read from
    the accounts themselves (tiers, lifecycle stages), which are recomputed after a while.
    """

    run = models.ForeignKey(PortfolioRun, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("scope"), max_length=64)
    payload = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    # A scorecard edit moved an account in the portfolio matrix since the figures were kept.
    portfolio_stale = models.BooleanField(_("portfolio matrix outdated"), default=False)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")
        constraints = [
            models.UniqueConstraint(fields=["run", "scope"], name="dashboard_cache_once")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.scope}"
