"""Service cases (售后服务, complaints, quality claims, training requests): what an account
raised, who owns it, how it moves from new to closed, and whether it kept its service level.

A case's response and resolution deadlines are set when it is opened, from the SLA of the
account's tier and the case's severity (`SlaPolicy` rows, else `DEFAULT_SLA`); whether it
breached them is computed in the database (selectors.with_breach), so lists filter on it.
Quality claims carry the 8D fields (containment, root cause, corrective action, prevention).
A case's cost, once it is resolved or closed, is a row of the account's cost to serve (ledger
CostToServe, source "service_case", the case's ID as its external ID).
simple-history keeps every version of a case: its page shows them as a timeline.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openkam.accounts.models import Tier
from openkam.common.models import MoneyField, TimeStamped


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    QUALITY_CLAIM = "quality_claim", _("Quality claim")
    SERVICE_REQUEST = "service_request", _("Service request")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    TRAINING_REQUEST = "training_request", _("Training request")


class Severity(models.TextChoices):
    """Most urgent first."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class CaseStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("case status", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("case status", "In progress")
    WAITING = "waiting", pgettext_lazy("case status", "Waiting for the customer")
    RESOLVED = "resolved", pgettext_lazy("case status", "Resolved")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")
    REOPENED = "reopened", pgettext_lazy("case status", "Reopened")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.REOPENED)
# Where a case may go from each status (resolving has its own service: it needs the cause).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.NEW: (CaseStatus.IN_PROGRESS, CaseStatus.WAITING),
    CaseStatus.IN_PROGRESS: (CaseStatus.WAITING,),
    CaseStatus.WAITING: (CaseStatus.IN_PROGRESS,),
    CaseStatus.REOPENED: (CaseStatus.IN_PROGRESS, CaseStatus.WAITING),
    CaseStatus.RESOLVED: (CaseStatus.CLOSED, CaseStatus.REOPENED),
    CaseStatus.CLOSED: (CaseStatus.REOPENED,),
}


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    OTHER = "other", _("Other")


# Hours to first response and to resolution per severity, for a tier without its own policy.
DEFAULT_SLA: dict[str, tuple[int, int]] = {
    Severity.CRITICAL: (2, 24),
    Severity.HIGH: (4, 72),
    Severity.MEDIUM: (8, 120),
    Severity.LOW: (24, 240),
}
MAX_SLA_HOURS = 24 * 365
RATING_MIN, RATING_MAX = 1, 5


class SlaPolicy(TimeStamped):
    """The service level promised to a tier for a severity (set in the back office)."""

    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    response_hours = models.PositiveIntegerField(
        _("first response within (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SLA_HOURS)],
    )
    resolution_hours = models.PositiveIntegerField(
        _("resolution within (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SLA_HOURS)],
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ("tier", "severity")
        constraints = [
            models.UniqueConstraint(fields=["tier", "severity"], name="service_sla_tier_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} · {self.get_severity_display()}"


class ServiceCase(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="service_cases",
        verbose_name=_("account"),
    )
    contact = models.ForeignKey(
        "relationships.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_cases",
        verbose_name=_("raised by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        "ledger.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_cases",
        verbose_name=_("product"),
    )
    family = models.CharField(_("product family"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_cases",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    opened_at = models.DateTimeField(_("opened at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set from the SLA when the case is opened (or its severity changes).
    response_due = models.DateTimeField(_("first response due"), editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), editable=False)
    # 8D (quality claims; any case may use them).
    containment = models.TextField(_("containment action"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    prevention = models.TextField(_("prevention"), blank=True)
    # What handling the case cost (in the company's currency): booked to the account's cost
    # to serve when the case is resolved or closed (services.case_cost_sync).
    cost = MoneyField(
        _("cost of the case"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Booked to the account's cost to serve when the case is resolved."),
    )
    # The contact's rating of how the case was handled (1-5), through the rating link sent
    # when the case was resolved (CaseRatingLink); it counts in the service satisfaction.
    rating = models.PositiveSmallIntegerField(
        _("rating (1-5)"), null=True, blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )  # fmt: skip
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ("-opened_at", "-pk")
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("service:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RatingLanguage(models.TextChoices):
    ZH = "zh-hans", "简体中文"
    EN = "en", "English"


class CaseRatingLink(TimeStamped):
    """The one-question rating link sent to the case's contact when the case is resolved: the
    survey links' machinery (a 192-bit random token, only its SHA-256 stored, expiring,
    answered once). Resolving again after a reopening issues a new link on the same row (the
    old one stops working), unless the contact has already rated the case."""

    case = models.OneToOneField(
        ServiceCase, on_delete=models.CASCADE, related_name="rating_link",
        verbose_name=_("service case"),
    )  # fmt: skip
    contact = models.ForeignKey(
        "relationships.Contact", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("contact"),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=10, choices=RatingLanguage.choices, default=RatingLanguage.ZH
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case rating link")
        verbose_name_plural = _("case rating links")

    def __str__(self) -> str:
        return f"#{self.case_id} · {self.contact_id}"

    def usable(self) -> bool:
        return self.answered_at is None and self.expires_at > timezone.now()


class Training(TimeStamped):
    """Training given to the customer (客户培训): when, what, by whom, who attended, and the
    cases it answered (a training request, a complaint about use). simple-history keeps every
    version."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="trainings",
        verbose_name=_("account"),
    )  # fmt: skip
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=100)
    attendees = models.ManyToManyField(
        "relationships.Contact", blank=True, related_name="trainings",
        verbose_name=_("attendees"),
    )  # fmt: skip
    other_attendees = models.CharField(
        _("other attendees"), max_length=300, blank=True,
        help_text=_("People not on the relationship map, and how many came."),
    )  # fmt: skip
    cases = models.ManyToManyField(
        ServiceCase, blank=True, related_name="trainings", verbose_name=_("service cases")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    history = HistoricalRecords(m2m_fields=[attendees, cases])

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ("-held_on", "-pk")
        indexes = [models.Index(fields=["account", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("service:training_edit", args=[self.pk])
