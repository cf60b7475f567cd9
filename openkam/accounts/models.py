"""Accounts and what we know about them (DOMAIN §2 tiers, §3 profile, §8 lifecycle)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.common.credit_code import (
    CreditCodeError,
    normalize_credit_code,
    validate_credit_code,
)
from openkam.common.models import CurrencyField, MoneyField, SourcedFact, TimeStamped

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def credit_code_validator(value: str) -> None:
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        raise ValidationError(
            _("Invalid unified social credit code: %(reason)s"), params={"reason": str(exc)}
        ) from exc


class Tier(models.TextChoices):
    """Customer tiers (客户分级); order matters: most important first."""

    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", _("Key")
    MAJOR = "major", _("Major")
    GENERAL = "general", _("General")


class LifecycleStage(models.TextChoices):
    """The account lifecycle (全生命周期), DOMAIN §8, in order."""

    IDENTIFICATION = "identification", _("Identification & screening")
    BUILDING = "building", _("First contact & relationship building")
    DEEPENING = "deepening", _("Deepening")
    MAINTENANCE = "maintenance", _("Maintenance")
    CHURN_WARNING = "churn_warning", _("Churn warning")
    WIN_BACK = "win_back", _("Win-back")
    LOST = "lost", _("Lost")


class RelationshipStage(models.TextChoices):
    """KAM development stages (KAM 发展阶段), DOMAIN §4."""

    PRE = "pre", _("Pre-KAM")
    EARLY = "early", _("Early KAM")
    MID = "mid", _("Mid KAM")
    PARTNERSHIP = "partnership", _("Partnership KAM")
    SYNERGISTIC = "synergistic", _("Synergistic KAM")


class Region(models.TextChoices):
    EAST = "east", _("East China")
    SOUTH = "south", _("South China")
    NORTH = "north", _("North China")
    CENTRAL = "central", _("Central China")
    SOUTHWEST = "southwest", _("Southwest China")
    NORTHWEST = "northwest", _("Northwest China")
    NORTHEAST = "northeast", _("Northeast China")
    OVERSEAS = "overseas", _("Overseas")


class IndustryPosition(models.TextChoices):
    LEADER = "leader", _("Industry leader")
    MID = "mid", _("Mid-sized")
    SMALL = "small", _("Small")
    UNKNOWN = "unknown", _("Unknown")


class Industry(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name


class Account(TimeStamped):
    legal_name = models.CharField(_("legal name"), max_length=200, db_index=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
        help_text=_("统一社会信用代码: 18 characters with a check digit."),
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, null=True, blank=True
    )
    industry_position = models.CharField(
        _("position in industry"),
        max_length=20,
        choices=IndustryPosition.choices,
        default=IndustryPosition.UNKNOWN,
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.IDENTIFICATION,
    )
    relationship_stage = models.CharField(
        _("relationship stage"),
        max_length=20,
        choices=RelationshipStage.choices,
        default=RelationshipStage.PRE,
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.GENERAL)
    is_strategic = models.BooleanField(
        _("designated strategic"),
        default=False,
        help_text=_("Set by management: brand, strategic potential, global sourcing entry."),
    )
    strategic_reason = models.TextField(_("reason for strategic designation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
    )
    team = models.ForeignKey(
        "team.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
    )
    credit_limit = MoneyField(_("credit limit"))
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    currency = CurrencyField()
    customer_since = models.DateField(_("customer since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="account_credit_code_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="account_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["tier", "legal_name"]),
            models.Index(fields=["team", "tier"]),
            # Which teams a KAM's own accounts sit in (visibility, the dashboard's filters):
            # read from the index alone, not from thousands of account rows.
            models.Index(fields=["owner", "team"]),
            models.Index(fields=["lifecycle_stage"]),
            models.Index(fields=["region"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    def clean(self) -> None:
        # clean_fields() has already reported an invalid code; here only normalise.
        self.credit_code = normalize_credit_code(self.credit_code)
        if self.parent_id and self.pk and self._parent_chain_contains(self.pk):
            raise ValidationError({"parent": _("An account cannot be its own ancestor.")})

    def _parent_chain_contains(self, account_id: int) -> bool:
        seen: set[int] = set()
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in seen:
            if parent_id == account_id:
                return True
            seen.add(parent_id)
            parent_id = (
                Account.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )
        return False


class Shareholder(SourcedFact):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Natural person")
        STATE = "state", _("State-owned entity")
        FUND = "fund", _("Fund / institution")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="shareholders", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=6, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    is_actual_controller = models.BooleanField(_("actual controller"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        ordering = ["-share_percent"]

    def __str__(self) -> str:
        return self.name


class Officer(SourcedFact):
    """Directors, supervisors and top management of the account."""

    class Body(models.TextChoices):
        BOARD = "board", _("Board of directors")
        SUPERVISORY = "supervisory", _("Board of supervisors")
        MANAGEMENT = "management", _("Top management")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="officers", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100)
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("director or manager")
        verbose_name_plural = _("directors and management")

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"


class BusinessUnit(SourcedFact):
    class Autonomy(models.TextChoices):
        CENTRAL = "central", _("Buys through group")
        PARTIAL = "partial", _("Partly autonomous")
        AUTONOMOUS = "autonomous", _("Autonomous")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="business_units", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    autonomy = models.CharField(
        _("purchasing autonomy"), max_length=20, choices=Autonomy.choices, default=Autonomy.PARTIAL
    )
    served_by_us = models.BooleanField(_("served by us"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")

    def __str__(self) -> str:
        return self.name


class Location(SourcedFact):
    class Kind(models.TextChoices):
        HEADQUARTERS = "hq", _("Headquarters")
        PLANT = "plant", _("Plant")
        DISTRIBUTION = "dc", _("Distribution centre")
        RND = "rnd", _("R&D centre")
        OFFICE = "office", _("Office / staff site")
        PROJECT = "project", _("Project site")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="locations", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name


class CompanyEvent(SourcedFact):
    """Company actions of the last years, shown as a timeline (DOMAIN §3)."""

    class Kind(models.TextChoices):
        CAPEX = "capex", _("Capital expenditure")
        ACQUISITION = "acquisition", _("Merger or acquisition")
        DIVESTMENT = "divestment", _("Divestment")
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        RND = "rnd", _("R&D")
        OUTSOURCING = "outsourcing", _("Outsourcing")
        NEW_PRODUCT = "new_product", _("New product")
        NEW_MARKET = "new_market", _("New market")
        INTERNATIONAL = "international", _("Internationalisation")
        TECHNOLOGY = "technology", _("New technology")
        LEADERSHIP = "leadership", _("Leadership change")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="events", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("company event")
        verbose_name_plural = _("company events")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class FinancialYear(SourcedFact):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="financials", verbose_name=_("account")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    currency = CurrencyField()
    revenue = MoneyField(_("revenue"), null=True, blank=True, default=None)
    net_profit = MoneyField(_("net profit"), null=True, blank=True, default=None)
    total_assets = MoneyField(_("total assets"), null=True, blank=True, default=None)
    total_liabilities = MoneyField(_("total liabilities"), null=True, blank=True, default=None)
    credit_rating = models.CharField(_("credit / bond rating"), max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("financial year")
        verbose_name_plural = _("financials")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="financial_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"

    @property
    def return_on_assets(self) -> Decimal | None:
        if self.net_profit is None or not self.total_assets:
            return None
        return self.net_profit / self.total_assets

    @property
    def debt_to_equity(self) -> Decimal | None:
        if self.total_assets is None or self.total_liabilities is None:
            return None
        equity = self.total_assets - self.total_liabilities
        if equity <= 0:
            return None
        return self.total_liabilities / equity


class OutlookNote(SourcedFact):
    """Lenders' view, material legal or regulatory risks, market outlook (DOMAIN §3)."""

    class Kind(models.TextChoices):
        LENDERS = "lenders", _("Lenders' view")
        LEGAL = "legal", _("Legal risk")
        REGULATORY = "regulatory", _("Regulatory risk")
        MARKET = "market", _("Market outlook")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="outlook_notes", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.LOW
    )
    text = models.TextField(_("text"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("outlook or risk note")
        verbose_name_plural = _("outlook and risks")

    def __str__(self) -> str:
        return self.get_kind_display()


class BudgetCycle(SourcedFact):
    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="budget_cycle", verbose_name=_("account")
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts (month)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    budget_month = models.PositiveSmallIntegerField(
        _("budget is set in (month)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    tender_month = models.PositiveSmallIntegerField(
        _("annual tender / sourcing (month)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("budget cycle")
        verbose_name_plural = _("budget cycles")

    def __str__(self) -> str:
        return str(self.account)


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")


class Need(SourcedFact):
    """What the account needs from a supplier: ROI levers, service, simpler processes."""

    class Kind(models.TextChoices):
        VOLUME = "volume", _("ROI: volume")
        PRICE = "price", _("ROI: price")
        COST = "cost", _("ROI: cost")
        WORKING_CAPITAL = "working_capital", _("ROI: working capital")
        SERVICE = "service", _("Service")
        PROCESS = "process", _("Process simplification")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="needs", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NeedStatus.choices,
        default=NeedStatus.OPEN,
        db_default=NeedStatus.OPEN,  # rows the demo and imports write in bulk
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_needs",
    )
    our_response = models.TextField(_("our response"), blank=True, default="", db_default="")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-status", "-id"]  # open before met, newest first

    def __str__(self) -> str:
        return self.get_kind_display()


class WalletEstimate(SourcedFact):
    """The account's yearly spend in our category, for our share of wallet."""

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="wallet_estimates",
        verbose_name=_("account"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category_spend = MoneyField(_("total spend in our category"))
    currency = CurrencyField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("wallet estimate")
        verbose_name_plural = _("wallet estimates")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["account", "year"], name="wallet_year_once")]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


class Competitor(TimeStamped):
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetitorPresence(SourcedFact):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="competitors", verbose_name=_("account")
    )
    competitor = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="presences", verbose_name=_("competitor")
    )
    products = models.CharField(_("products supplied"), max_length=300, blank=True)
    share_of_wallet = models.DecimalField(
        _("estimated share of wallet (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("competitor presence")
        verbose_name_plural = _("competitors at the account")
        constraints = [
            models.UniqueConstraint(fields=["account", "competitor"], name="competitor_once")
        ]

    def __str__(self) -> str:
        return f"{self.competitor} @ {self.account}"


# --- The account team ----------------------------------------------------------------------


class AccountTeamRole(models.TextChoices):
    """A standing account team member's part (the KAM is Account.owner). The codes are those
    of a plan's joint team (plans.TeamRole), so a plan's team can start from this one."""

    SPONSOR = "sponsor", _("Executive sponsor")
    RND = "rnd", _("R&D support")
    QUALITY = "quality", _("Quality support")
    LOGISTICS = "logistics", _("Logistics support")
    FINANCE = "finance", _("Finance support")
    SERVICE = "service", _("Service support")
    OTHER = "other", _("Other support")


class AccountTeamMember(TimeStamped):
    """One of our people on the account's standing team (客户团队), across its plans: they see
    the account (read only; accounts_visible_to) without being in the sales team."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("account")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_team_seats",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role on the account team"), max_length=20, choices=AccountTeamRole)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("account team member")
        verbose_name_plural = _("account team members")
        ordering = ["account", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_team_member_once")
        ]
        # The visibility subquery reads (user -> account ids) from the index alone.
        indexes = [models.Index(fields=["user", "account"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.account}"
