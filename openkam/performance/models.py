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
