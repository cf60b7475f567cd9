"""Interactions with an account: visits, calls, meetings, trainings, events (DOMAIN §4), and
the regular return visits (定期回访) each tier is owed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.accounts.models import Tier
from openkam.common.models import TimeStamped

# Days between two contacts an account of each tier is owed when nobody configured otherwise.
DEFAULT_CADENCE_DAYS: dict[str, int] = {
    Tier.STRATEGIC: 30,
    Tier.KEY: 42,
    Tier.MAJOR: 90,
    Tier.GENERAL: 180,
}


class Kind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    EVENT = "event", _("Event")
    EMAIL = "email", _("Email / message")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


INTERACTION_HISTORY = HistoricalRecords(
    excluded_fields=["updated_at"], m2m_fields=["our_participants", "their_participants"]
)


class Interaction(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VISIT)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DONE
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    our_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="interactions",
        verbose_name=_("our participants"),
        blank=True,
    )
    their_participants = models.ManyToManyField(
        "relationships.Contact",
        related_name="interactions",
        verbose_name=_("their participants"),
        blank=True,
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("next step owner"),
    )
    next_step_done = models.BooleanField(_("next step done"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    # Participants are tracked too, so an edit's history says who was added or removed; the
    # services write one record per change (see services._one_history_record). Change them
    # from this side only (interaction.their_participants.set): django-simple-history's m2m
    # signal handler takes the instance it is given, so contact.interactions.add() would try
    # to record a Contact as an interaction.
    history = INTERACTION_HISTORY

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["account", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["next_step_owner", "next_step_done", "next_step_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.get_kind_display()}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("interactions:timeline", args=[self.account_id]) + f"#i{self.pk}"


class ContactCadence(TimeStamped):
    """How often an account of a tier must be contacted (定期回访): one row per tier."""

    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, unique=True)
    every_days = models.PositiveSmallIntegerField(
        _("contact every (days)"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contact cadence")
        verbose_name_plural = _("contact cadences")
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()}: {self.every_days}"
