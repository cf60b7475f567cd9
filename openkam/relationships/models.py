"""Contacts at an account and their buying roles (DOMAIN §4)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.common.models import TimeStamped

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class InfluenceType(models.TextChoices):
    ECONOMIC = "economic", _("Economic buyer")
    USER = "user", _("User buyer")
    TECHNICAL = "technical", _("Technical buyer")
    COACH = "coach", _("Coach / guide")


class Support(models.IntegerChoices):
    """How much the contact supports us, from opponent (-2) to champion (+2)."""

    OPPONENT = -2, _("Opponent")
    SCEPTIC = -1, _("Sceptic")
    NEUTRAL = 0, _("Neutral")
    SUPPORTER = 1, _("Supporter")
    CHAMPION = 2, _("Champion")


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting / event")


class TheirFunction(models.TextChoices):
    """The account's functions, the other axis of the coverage matrix."""

    MANAGEMENT = "management", _("Top management")
    PURCHASING = "purchasing", _("Purchasing")
    ENGINEERING = "engineering", _("Engineering / R&D")
    OPERATIONS = "operations", _("Operations / production")
    QUALITY = "quality", _("Quality")
    LOGISTICS = "logistics", _("Logistics")
    FINANCE = "finance", _("Finance")
    PROJECTS = "projects", _("Projects / installation")
    SHE = "she", _("Safety, health, environment")
    MARKETING = "marketing", _("Marketing")


BUYING_STAGES = (
    ("stage_needs", _("1 Understanding needs")),
    ("stage_options", _("2 Comparing options")),
    ("stage_choice", _("3 Choosing")),
    ("stage_after_sale", _("4 After-sale issues")),
)


class Contact(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    function = models.CharField(
        _("function"), max_length=20, choices=TheirFunction.choices, blank=True
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)

    influence_type = models.CharField(
        _("influence type"), max_length=20, choices=InfluenceType.choices, blank=True
    )
    influence_level = models.PositiveSmallIntegerField(
        _("influence (1-5)"), default=3, validators=ONE_TO_FIVE
    )
    participation = models.PositiveSmallIntegerField(
        _("participation (1-5)"), default=3, validators=ONE_TO_FIVE
    )
    support = models.SmallIntegerField(_("support for us"), choices=Support.choices, default=0)
    stage_needs = models.BooleanField(_("1 Understanding needs"), default=False)
    stage_options = models.BooleanField(_("2 Comparing options"), default=False)
    stage_choice = models.BooleanField(_("3 Choosing"), default=False)
    stage_after_sale = models.BooleanField(_("4 After-sale issues"), default=False)
    motives = models.TextField(_("what drives them"), blank=True)
    need_1 = models.CharField(_("top need 1"), max_length=200, blank=True)
    need_2 = models.CharField(_("top need 2"), max_length=200, blank=True)
    need_3 = models.CharField(_("top need 3"), max_length=200, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, blank=True
    )
    contact_every_days = models.PositiveSmallIntegerField(
        _("wanted contact every (days)"), null=True, blank=True
    )
    deepening_plan = models.TextField(_("how to deepen the relationship"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["account", "-influence_level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name

    @property
    def buying_stages(self) -> list[str]:
        return [str(label) for field, label in BUYING_STAGES if getattr(self, field)]

    @property
    def top_needs(self) -> list[str]:
        return [need for need in (self.need_1, self.need_2, self.need_3) if need]


class JointProjectKind(models.TextChoices):
    """The joint teams of a synergistic relationship (DOMAIN §4), and its joint board."""

    NEW_PRODUCTS = "new_products", _("New product development")
    OPERATIONS = "operations", _("Operations")
    LOGISTICS = "logistics", _("Logistics")
    SHE = "she", _("Safety, health, environment")
    MARKET_RESEARCH = "market_research", _("Market research")
    BOARD_MEETING = "board_meeting", _("Joint board meeting")


class JointProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class JointProject(TimeStamped):
    """A joint project team with the account (or one joint board meeting), with members of
    both sides. Recorded projects and board meetings, not counted meetings, are what the
    Synergistic stage asks for."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="joint_projects",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=JointProjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JointProjectStatus.choices,
        default=JointProjectStatus.ACTIVE,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    our_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="joint_projects",
        blank=True,
        verbose_name=_("our members"),
    )
    their_members = models.ManyToManyField(
        Contact, related_name="joint_projects", blank=True, verbose_name=_("their members")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[our_members, their_members]
    )

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["account", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="joint_project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
