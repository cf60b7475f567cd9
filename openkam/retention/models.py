"""Retention (流失预警与挽回, DOMAIN §6 and §8): win-back cases opened from churn alerts, with
their actions and outcome; the lifecycle stage the data suggest for every account, a person's
override of it and every change of stage; and the stored backtest of each alert rule ("does
the warning work?")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.accounts.models import LifecycleStage
from openkam.common.models import MoneyField, TimeStamped

# The alert rules that speak of a customer leaving: a win-back case is opened from one of
# them. Payment, credit, visit, concentration and data-quality rules are about other risks
# (a late payer still buys), so they open no case.
CHURN_RULES = ("churn_rising", "p_alive_low", "purchase_gap", "revenue_decline")


class Cause(models.TextChoices):
    PRICE = "price", _("Price")
    QUALITY = "quality", _("Quality")
    DELIVERY = "delivery", _("Delivery")
    COMPETITOR = "competitor", _("Competitor")
    BUSINESS_CHANGED = "business_changed", _("The customer's business changed")
    RELATIONSHIP = "relationship", _("Relationship")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    """Retained: never stopped buying; recovered: had stopped and came back; lost: gone."""

    RETAINED = "retained", _("Retained")
    RECOVERED = "recovered", _("Recovered")
    LOST = "lost", _("Lost")


OPEN_CASE = Q(outcome="")


class WinBackCase(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="winback_cases",
        verbose_name=_("account"),
    )
    alert = models.ForeignKey(
        "alerts.Alert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="winback_cases",
        verbose_name=_("alert"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="winback_cases",
        verbose_name=_("owner"),
    )
    opened_on = models.DateField(_("opened on"))
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    notes = models.TextField(_("notes"), blank=True)
    offer = models.TextField(_("offer made"), blank=True)
    # Revenue of the twelve months before the case was opened: what losing the account costs
    # (the lost-account analysis sums it).
    revenue_at_stake = MoneyField(_("revenue at stake (12 months)"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("win-back case")
        verbose_name_plural = _("win-back cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=OPEN_CASE, name="winback_open_once_per_account"
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="winback_outcome_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "opened_on"]),
            models.Index(fields=["owner", "outcome"]),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.opened_on}"

    def get_absolute_url(self) -> str:
        return reverse("retention:detail", args=[self.pk])

    def is_open(self) -> bool:
        return not self.outcome


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WinBackAction(TimeStamped):
    case = models.ForeignKey(
        WinBackCase, on_delete=models.CASCADE, related_name="actions", verbose_name=_("case")
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="winback_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("win-back action")
        verbose_name_plural = _("win-back actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class ChangeSource(models.TextChoices):
    DATA = "data", _("Suggested from the data")
    OVERRIDE = "override", _("Set by a person")
    OVERRIDE_ENDED = "override_ended", _("Override ended: the data contradicted it")


class LifecycleChange(models.Model):
    """One move of an account from one lifecycle stage to another: the stage history, and
    the funnel's movement between two dates (an account's stage on a day is the `from_stage`
    of its first change after that day, or its current stage when it has none)."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="lifecycle_changes",
        verbose_name=_("account"),
    )
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    from_stage = models.CharField(_("from"), max_length=20, choices=LifecycleStage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=LifecycleStage.choices)
    source = models.CharField(_("source"), max_length=20, choices=ChangeSource.choices)
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("lifecycle change")
        verbose_name_plural = _("lifecycle changes")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["account", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} {self.from_stage} -> {self.to_stage}"


class LifecycleOverride(TimeStamped):
    """A person's stage for an account against the data's suggestion. It holds until the data
    contradict it for two refreshes in a row: a refresh contradicts it when it suggests a
    stage that is neither the override nor the stage the person overrode (the data have moved
    since); a refresh that does not contradict it resets the count."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="lifecycle_overrides",
        verbose_name=_("account"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=LifecycleStage.choices)
    overrode = models.CharField(
        _("suggested stage overridden"), max_length=20, choices=LifecycleStage.choices
    )
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    contradicted = models.PositiveSmallIntegerField(_("refreshes contradicting it"), default=0)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("lifecycle override")
        verbose_name_plural = _("lifecycle overrides")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(ended_on__isnull=True), name="override_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.stage}"


class RuleBacktest(models.Model):
    """One rule's replay on the history: of the alerts it would have raised on the replay
    dates, how many accounts then churned (or paid late, for payment rules), and of the
    accounts that churned, how many it caught."""

    rule = models.CharField(_("rule"), max_length=40)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    replay_dates = models.JSONField(_("replay dates"), default=list)
    horizon_months = models.PositiveSmallIntegerField(_("horizon (months)"))
    outcome = models.CharField(_("outcome watched"), max_length=20)
    settings = models.JSONField(_("settings replayed"), default=dict)
    accounts = models.PositiveIntegerField(_("accounts watched"), default=0)
    raised = models.PositiveIntegerField(_("alerts raised"), default=0)
    raised_then_bad = models.PositiveIntegerField(_("raised, then churned"), default=0)
    bad = models.PositiveIntegerField(_("churned accounts"), default=0)
    caught = models.PositiveIntegerField(_("churned accounts caught"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rule backtest")
        verbose_name_plural = _("rule backtests")
        ordering = ["-computed_at", "rule"]
        indexes = [models.Index(fields=["rule", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.computed_at:%Y-%m-%d}"

    @property
    def precision(self) -> float | None:
        return self.raised_then_bad / self.raised if self.raised else None

    @property
    def recall(self) -> float | None:
        return self.caught / self.bad if self.bad else None

    @property
    def base_rate(self) -> float | None:
        return self.bad / self.accounts if self.accounts else None
