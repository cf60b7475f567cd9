"""Satisfaction surveys (满意度调查): a template's questions on the sources' three dimensions
(product, service, sales staff: CSAT 1-5 each), the recommendation question (NPS 0-10) and a
free text; a campaign sends a template to chosen contacts of chosen accounts over a period;
each recipient answers once through a personal link, or a colleague types in the answers of a
phone interview.

A link's token is random (secrets, 192 bits) and only its SHA-256 is stored: the database
alone cannot answer for anybody. A reminder issues a new link (the old one stops working).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from openkam.common.models import TimeStamped
from openkam.surveys.scores import CSAT_MAX, CSAT_MIN, NPS_MAX, NPS_MIN, nps_category

CSAT_RANGE = [MinValueValidator(CSAT_MIN), MaxValueValidator(CSAT_MAX)]
NPS_RANGE = [MinValueValidator(NPS_MIN), MaxValueValidator(NPS_MAX)]
DIMENSIONS = ("product", "service", "sales")
QUESTIONS = (*DIMENSIONS, "nps", "comment")


class Language(models.TextChoices):
    ZH = "zh-hans", "简体中文"
    EN = "en", "English"


class Channel(models.TextChoices):
    LINK = "link", _("Personal link")
    PHONE = "phone", _("Phone interview (entered by staff)")
    VISIT = "visit", _("Visit (entered by staff)")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SurveyTemplate(TimeStamped):
    """The questions, in both languages. The default one is seeded by a migration."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    product = models.CharField(_("product question"), max_length=300)
    product_en = models.CharField(_("product question (English)"), max_length=300)
    service = models.CharField(_("service question"), max_length=300)
    service_en = models.CharField(_("service question (English)"), max_length=300)
    sales = models.CharField(_("sales staff question"), max_length=300)
    sales_en = models.CharField(_("sales staff question (English)"), max_length=300)
    nps = models.CharField(_("recommendation question"), max_length=300)
    nps_en = models.CharField(_("recommendation question (English)"), max_length=300)
    comment = models.CharField(_("free-text question"), max_length=300)
    comment_en = models.CharField(_("free-text question (English)"), max_length=300)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ("-is_default", "name")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name

    def text(self, question: str, language: str) -> str:
        """A question's text in `language` (Chinese unless English is asked)."""
        return str(getattr(self, f"{question}_en" if language == Language.EN else question))


class Campaign(TimeStamped):
    name = models.CharField(_("name"), max_length=150)
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("survey template"),
    )  # fmt: skip
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    expires_at = models.DateTimeField(_("links expire at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ("-period_end", "-pk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign", args=[self.pk])


class Recipient(TimeStamped):
    """A contact asked in a campaign: their language, their link (hashed), when it was sent
    and reminded, and when they answered."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("campaign")
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="survey_recipients",
        verbose_name=_("account"),
    )  # fmt: skip
    contact = models.ForeignKey(
        "relationships.Contact", on_delete=models.CASCADE, related_name="survey_recipients",
        verbose_name=_("contact"),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey recipient")
        verbose_name_plural = _("survey recipients")
        ordering = ("campaign", "account", "contact")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contact"], name="survey_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.contact}"

    def usable(self) -> bool:
        """Whether the link may still be answered (not answered, not expired)."""
        return self.answered_at is None and self.expires_at > timezone.now()


class Response(TimeStamped):
    """One answer: through the recipient's link, or typed in by staff (`entered_by`)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    recipient = models.OneToOneField(
        Recipient, on_delete=models.CASCADE, related_name="response", verbose_name=_("recipient")
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="survey_responses",
        verbose_name=_("account"),
    )  # fmt: skip
    contact = models.ForeignKey(
        "relationships.Contact", on_delete=models.CASCADE, related_name="survey_responses",
        verbose_name=_("contact"),
    )  # fmt: skip
    csat_product = models.PositiveSmallIntegerField(
        _("product (1-5)"), null=True, blank=True, validators=CSAT_RANGE
    )
    csat_service = models.PositiveSmallIntegerField(
        _("service (1-5)"), null=True, blank=True, validators=CSAT_RANGE
    )
    csat_sales = models.PositiveSmallIntegerField(
        _("sales staff (1-5)"), null=True, blank=True, validators=CSAT_RANGE
    )
    nps = models.PositiveSmallIntegerField(_("recommendation (0-10)"), validators=NPS_RANGE)
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("entered by"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"))
    follow_up = models.ForeignKey(
        "interactions.Interaction", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("follow-up"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ("-answered_at", "-pk")
        indexes = [models.Index(fields=["account", "answered_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(nps__lte=NPS_MAX), name="survey_nps_0_10"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"csat_{d}__isnull": True})
                    | models.Q(**{f"csat_{d}__gte": CSAT_MIN, f"csat_{d}__lte": CSAT_MAX}),
                    name=f"survey_csat_{d}_1_5",
                )
                for d in DIMENSIONS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · NPS {self.nps}"

    @property
    def category(self) -> str:
        return nps_category(self.nps)

    @property
    def entered_by_staff(self) -> bool:
        return self.channel != Channel.LINK

    @property
    def csat(self) -> float | None:
        known = [v for v in (self.csat_product, self.csat_service, self.csat_sales) if v]
        return sum(known) / len(known) if known else None
