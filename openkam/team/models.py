"""Users, their roles, and the KAM teams that own accounts (DOMAIN §7)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.common.models import TimeStamped


class Role(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    DIRECTOR = "director", _("Director")
    KAM = "kam", _("Key account manager")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


# Roles that see every account; the others see the accounts of their teams.
ALL_ACCOUNT_ROLES = frozenset({Role.EXECUTIVE, Role.ANALYST})


class Function(models.TextChoices):
    """Our functions, for cross-functional account teams and the coverage matrix."""

    SALES = "sales", _("Sales")
    MANAGEMENT = "management", _("Top management")
    RND = "rnd", _("R&D")
    OPERATIONS = "operations", _("Operations")
    LOGISTICS = "logistics", _("Logistics")
    QUALITY = "quality", _("Quality")
    FINANCE = "finance", _("Finance")
    SERVICE = "service", _("After-sales service")
    MARKETING = "marketing", _("Marketing")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    function = models.CharField(
        _("function"), max_length=20, choices=Function.choices, default=Function.SALES
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def sees_all_accounts(self) -> bool:
        return self.is_superuser or self.role in ALL_ACCOUNT_ROLES


class Team(TimeStamped):
    name = models.CharField(_("name"), max_length=100, unique=True)
    director = models.ForeignKey(
        User,
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directed_teams",
    )
    members = models.ManyToManyField(
        User, through="TeamMembership", related_name="teams", verbose_name=_("members")
    )
    region = models.CharField(_("region"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMembership(TimeStamped):
    class TeamRole(models.TextChoices):
        KAM = "kam", _("Key account manager")
        SUPPORT = "support", _("Cross-functional support")
        SPONSOR = "sponsor", _("Executive sponsor")
        OBSERVER = "observer", _("Observer")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, verbose_name=_("team"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, verbose_name=_("user"))
    team_role = models.CharField(
        _("role in team"), max_length=20, choices=TeamRole.choices, default=TeamRole.KAM
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"
