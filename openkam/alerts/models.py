"""Alerts (预警): one row per rule and account while the rule's condition holds, worked by the
account's KAM (open -> acknowledged -> resolved, or dismissed with a reason), snoozed until a
date, reassigned by the director; every change kept in the history.

An alert is *current* until its condition clears: open, acknowledged, or dismissed but not yet
cleared (a dismissal silences the rule for that account until the condition clears or rises).
At most one current alert per rule and account, so a re-run updates it instead of adding one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openkam.common.models import MoneyField


class Level(models.IntegerChoices):
    """Ordered, so an alert escalates when its level number rises."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class AlertState(models.TextChoices):
    # In context: other apps' "Open" (an open order, an open risk) reads differently in Chinese.
    OPEN = "open", pgettext_lazy("alert state", "Open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert state", "Acknowledged")
    RESOLVED = "resolved", pgettext_lazy("alert state", "Resolved")
    DISMISSED = "dismissed", pgettext_lazy("alert state", "Dismissed")


ACTIVE_STATES = (AlertState.OPEN, AlertState.ACKNOWLEDGED)
# Open, acknowledged, or dismissed while the condition still holds.
CURRENT = Q(resolved_at__isnull=True)


class Alert(models.Model):
    rule = models.CharField(_("rule"), max_length=40)
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("account"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=AlertState.choices, default=AlertState.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("assignee"),
    )
    value_at_risk = MoneyField(_("value at risk"))
    params = models.JSONField(_("figures"), default=dict)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    history = HistoricalRecords(excluded_fields=["last_seen", "value_at_risk", "params"])

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-value_at_risk", "-level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "account"], condition=CURRENT, name="alert_current_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "-value_at_risk"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["account", "rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.account_id}"

    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class RuleSetting(models.Model):
    """The company's settings of one rule (thresholds, tiers), over the module's defaults;
    a rule without a row runs on its defaults."""

    rule = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alert rule setting")
        verbose_name_plural = _("alert rule settings")

    def __str__(self) -> str:
        return self.rule


class NotificationPreference(models.Model):
    """How one user hears of the alerts assigned to them. In the application they always see
    them (My alerts and the bell); by mail, a daily digest of what was raised or escalated since
    the last one, and a mail at once for the rules they choose. A user without a row gets the
    defaults: the digest, nothing at once, the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_preference",
        verbose_name=_("user"),
    )
    digest = models.BooleanField(_("daily digest by mail"), default=True)
    immediate_rules = models.JSONField(_("rules mailed at once"), default=list, blank=True)
    language = models.CharField(
        _("language of the mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the site's language."),
    )
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_digest_at"])

    class Meta:
        verbose_name = _("alert notification preference")
        verbose_name_plural = _("alert notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE
