"""Prospects and opportunities (商机): the sales process before and around the ledger.

A prospect is an account in the identification stage (Account.lifecycle_stage), screened with
the selection scorecard (portfolio.ScoringCriterion) into qualified or dropped. An opportunity
moves through the stages of winning business; every move is logged (StageChange), so
conversion rates and the days spent in each stage are read from the log, not guessed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
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


OPEN_STAGES = (Stage.NEEDS_ANALYSIS, Stage.SOLUTION_DESIGN, Stage.QUOTATION, Stage.NEGOTIATION)
CLOSED_STAGES = (Stage.WON, Stage.LOST)
# What a stage is worth before anybody edits it (percent of the amount).
DEFAULT_PROBABILITIES = {
    Stage.NEEDS_ANALYSIS: 10,
    Stage.SOLUTION_DESIGN: 25,
    Stage.QUOTATION: 50,
    Stage.NEGOTIATION: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
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
