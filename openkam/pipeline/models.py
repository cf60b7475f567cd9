"""Prospects and opportunities (商机): the sales process before and around the ledger.

A prospect is an account in the identification stage (Account.lifecycle_stage), screened with
the selection scorecard (portfolio.ScoringCriterion) into qualified or dropped. An opportunity
moves through the stages of winning business; every move is logged (StageChange), so
conversion rates and the days spent in each stage are read from the log, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openkam.common.models import CurrencyField, MoneyField, TimeStamped


class Stage(models.TextChoices):
    """The stages of winning business, in order (需求分析、方案设计、报价、谈判), then won or
    lost."""

    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    SOLUTION_DESIGN = "solution_design", _("Solution design")
    QUOTATION = "quotation", _("Quotation")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", pgettext_lazy("pipeline", "Lost")
    # The promotion mode's stages (线索、初次接洽、实地考察、谈判、签约、落地、投产);
    # negotiation and lost are shared.
    LEAD = "lead", pgettext_lazy("promotion", "Lead")
    FIRST_CONTACT = "first_contact", pgettext_lazy("promotion", "First contact")
    SITE_VISIT = "site_visit", pgettext_lazy("promotion", "Site visit")
    SIGNED = "signed", pgettext_lazy("promotion", "Signed")
    LANDED = "landed", pgettext_lazy("promotion", "Landed")
    IN_PRODUCTION = "in_production", pgettext_lazy("promotion", "In production")


@dataclass(frozen=True)
class StageSet:
    """The stages one mode's opportunities move through: `open` in order, then `won` (the
    first closes it as won; a promotion project goes on to landed and in production), and
    lost."""

    open: tuple[Stage, ...]
    won: tuple[Stage, ...]
    lost: Stage = Stage.LOST

    @property
    def steps(self) -> tuple[Stage, ...]:
        return (*self.open, *self.won)

    @property
    def all(self) -> tuple[Stage, ...]:
        return (*self.steps, self.lost)

    @property
    def closed(self) -> tuple[Stage, ...]:
        return (*self.won, self.lost)

    @property
    def choices(self) -> list[tuple[str, Any]]:
        return [(stage.value, stage.label) for stage in self.all]


SALES_STAGES = StageSet(
    open=(Stage.NEEDS_ANALYSIS, Stage.SOLUTION_DESIGN, Stage.QUOTATION, Stage.NEGOTIATION),
    won=(Stage.WON,),
)
PROMOTION_STAGES = StageSet(
    open=(Stage.LEAD, Stage.FIRST_CONTACT, Stage.SITE_VISIT, Stage.NEGOTIATION),
    won=(Stage.SIGNED, Stage.LANDED, Stage.IN_PRODUCTION),
)
# Open in either mode (what the account page, the filters and the weighted pipeline count).
OPEN_STAGES = tuple(dict.fromkeys((*SALES_STAGES.open, *PROMOTION_STAGES.open)))
CLOSED_STAGES = tuple(dict.fromkeys((*SALES_STAGES.closed, *PROMOTION_STAGES.closed)))
WON_STAGES = tuple(dict.fromkeys((*SALES_STAGES.won, *PROMOTION_STAGES.won)))
# What a stage is worth before anybody edits it (percent of the amount).
DEFAULT_PROBABILITIES = {
    Stage.NEEDS_ANALYSIS: 10,
    Stage.SOLUTION_DESIGN: 25,
    Stage.QUOTATION: 50,
    Stage.NEGOTIATION: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
    Stage.LEAD: 5,
    Stage.FIRST_CONTACT: 15,
    Stage.SITE_VISIT: 35,
    Stage.SIGNED: 100,
    Stage.LANDED: 100,
    Stage.IN_PRODUCTION: 100,
}


class StageProbability(TimeStamped):
    """The chance an opportunity in this stage is won, in percent; executives edit it."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MaxValueValidator(100)]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("stage probability")
        verbose_name_plural = _("stage probabilities")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.probability}%"


class Opportunity(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    title = models.CharField(pgettext_lazy("pipeline", "title"), max_length=200)
    products = models.ManyToManyField(
        "ledger.Product", verbose_name=_("products"), blank=True, related_name="opportunities"
    )
    families = models.CharField(
        _("product families"), max_length=300, blank=True, help_text=_("Comma separated.")
    )
    amount = MoneyField(_("amount"))
    currency = CurrencyField()
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.NEEDS_ANALYSIS
    )
    expected_close = models.DateField(_("expected close date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    competitors = models.ManyToManyField(
        "accounts.Competitor", verbose_name=_("competitors"), blank=True, related_name="+"
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"))
    orders = models.ManyToManyField(
        "ledger.Order", verbose_name=_("orders fulfilling it"), blank=True, related_name="+"
    )
    objective = models.ForeignKey(
        "plans.Objective",
        verbose_name=_("plan objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close", "pk"]
        indexes = [
            models.Index(fields=["stage", "expected_close"]),
            models.Index(fields=["owner", "stage"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class StageChange(models.Model):
    """One move of an opportunity between stages (from "" when it was opened)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(pgettext_lazy("pipeline", "reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["opportunity", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage or '-'} -> {self.to_stage}"


class ScreeningOutcome(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    DROPPED = "dropped", _("Dropped")


class ProspectScreening(TimeStamped):
    """A prospect screened with the selection scorecard: qualified or dropped, and why."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ScreeningOutcome.choices)
    reason = models.TextField(pgettext_lazy("pipeline", "reason"))
    attractiveness = models.FloatField(_("attractiveness score"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    screened_on = models.DateField(_("screened on"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("prospect screening")
        verbose_name_plural = _("prospect screenings")
        ordering = ["-screened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.outcome}"


# The investment-promotion mode (招商): what the office weighs about a target enterprise (an
# Account), the suppliers it can bring (ChainLink), and a project's terms (ProjectTerms, one
# to one with the Opportunity that is the project: same board, list, log and API).


class IndustryChain(TimeStamped):
    """An industry chain the park builds (新能源汽车、动力电池, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChainPosition(models.TextChoices):
    LEADER = "leader", _("Chain leader")
    KEY_SUPPLIER = "key_supplier", _("Key supplier")
    SUPPLIER = "supplier", _("Supplier")
    SERVICE = "service", _("Supporting service")


class TechnologyLevel(models.IntegerChoices):
    """Scored 1-5 on the promotion scorecard."""

    BASIC = 1, _("Basic")
    COMMON = 2, _("Common")
    ADVANCED = 3, _("Advanced")
    LEADING = 4, _("Domestic leading")
    FRONTIER = 5, _("International leading")


class TargetProfile(TimeStamped):
    """What the promotion office weighs about a target enterprise, beyond the account's own
    profile."""

    account = models.OneToOneField(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="target_profile",
    )
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    position = models.CharField(
        _("position in the chain"), max_length=20, choices=ChainPosition.choices, blank=True
    )
    market_share = models.DecimalField(
        _("market share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    patent_share = models.DecimalField(
        _("patent share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    technology_level = models.PositiveSmallIntegerField(
        _("technology level"), choices=TechnologyLevel.choices, null=True, blank=True
    )
    planned_expansion = models.TextField(_("planned expansion"), blank=True)
    policy_asks = models.TextField(_("policy support asked for"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("target profile")
        verbose_name_plural = _("target profiles")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.get_position_display()}"


class ChainLink(TimeStamped):
    """`supplier` supplies `anchor`: a target the anchor can bring along (撬动产业链)."""

    anchor = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("brought by"),
        on_delete=models.CASCADE,
        related_name="supplier_links",
    )
    supplier = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="anchor_links",
    )
    supplies = models.CharField(_("what it supplies"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["anchor", "supplier"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "supplier"], name="chain_link_once"),
            models.CheckConstraint(
                condition=~models.Q(anchor=models.F("supplier")), name="chain_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} -> {self.anchor_id}"


class ProjectTerms(TimeStamped):
    """An investment project's terms: the opportunity's amount is the planned investment;
    the land, jobs, expected yearly output and tax, the policy package and the rivals."""

    opportunity = models.OneToOneField(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    land_mu = models.DecimalField(
        _("land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    annual_output = models.DecimalField(
        _("expected annual output"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    annual_tax = models.DecimalField(
        _("expected annual tax"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    policy_land = models.CharField(_("land policy"), max_length=300, blank=True)
    policy_tax = models.CharField(_("tax policy"), max_length=300, blank=True)
    policy_subsidies = models.CharField(_("subsidies"), max_length=300, blank=True)
    policy_talent = models.CharField(_("talent policy"), max_length=300, blank=True)
    competing_cities = models.CharField(
        _("competing cities"), max_length=300, blank=True, help_text=_("Comma separated.")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    park_fit = models.PositiveSmallIntegerField(
        _("fit with the park's plan (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("project terms")
        verbose_name_plural = _("project terms")

    def __str__(self) -> str:
        return f"{self.opportunity_id}"

    @property
    def output_per_mu(self) -> Decimal | None:
        return _per_mu(self.annual_output, self.land_mu)

    @property
    def tax_per_mu(self) -> Decimal | None:
        return _per_mu(self.annual_tax, self.land_mu)


def _per_mu(value: Decimal | None, land: Decimal | None) -> Decimal | None:
    """Per mu of land, to the yuan (亩均产出、亩均税收)."""
    if value is None or not land:
        return None
    return (value / land).quantize(Decimal("1"))


class PromotionWeight(TimeStamped):
    """The weight of one criterion of the promotion scorecard, in percent (the weights add
    up to 100); analysts and executives edit them, the history keeps every change. Criteria
    without a stored row weigh their default (openkam.pipeline.promotion.CRITERIA)."""

    key = models.CharField(_("criterion"), max_length=20, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"), validators=[MaxValueValidator(100)])

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("promotion scorecard weight")
        verbose_name_plural = _("promotion scorecard weights")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.key}: {self.weight}%"
