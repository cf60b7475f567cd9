"""Account plans and their cycle (大客户计划 / 关键客户方案规划, DOMAIN §5): the Design step
(the plan: goals, SWOT, objectives, strategies, actions, resources, joint team, value
proposition) and the Verify step (the risk register and the plan reviews)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openkam.common.models import CurrencyField, MoneyField, TimeStamped
from openkam.plans.risks import Level, Rating

# A plan with no review for longer than this is stale (the default: quarterly reviews
# with some slack).
STALE_AFTER_DAYS = 100


# What the plans overview shows of each plan's parts, stored on the plan (plans.figures).
PLAN_FIGURES = (
    "objectives_behind",
    "show_stoppers",
    "days_asked",
    "days_granted",
    "money_asked",
    "money_granted",
    "last_review_on",
)


class PlanStatus(models.TextChoices):
    # Short labels read differently in other catalogues (another app's "Active" is 进行中),
    # so each status carries its context.
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("plan status", "Submitted")
    APPROVED = "approved", pgettext_lazy("plan status", "Approved")
    ACTIVE = "active", pgettext_lazy("plan status", "Active")
    CLOSED = "closed", pgettext_lazy("plan status", "Closed")


class AccountPlan(TimeStamped):
    """One account's plan for one period (the calendar year unless set otherwise)."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("account"),
    )
    title = models.CharField(pgettext_lazy("plan", "title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="owned_plans",
        verbose_name=_("owner"),
    )
    customer_goals = models.TextField(_("the customer's goals and strategy"), blank=True)
    customer_changes = models.TextField(_("what is changing in their business"), blank=True)
    value_proposition = models.TextField(_("value proposition"), blank=True)
    value_plan = models.TextField(
        _("how the plan widens the customer's delivered value"), blank=True
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    joint_projects = models.ManyToManyField(
        "relationships.JointProject",
        related_name="plans",
        blank=True,
        verbose_name=_("joint projects"),
    )
    return_comment = models.TextField(_("comment when returned"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The overview's figures, kept by plans.figures where the parts change (not edits of the
    # plan, so not in its history).
    objectives_behind = models.PositiveIntegerField(_("objectives behind"), default=0)
    show_stoppers = models.PositiveIntegerField(_("open show stoppers"), default=0)
    days_asked = models.DecimalField(
        _("person-days asked"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    days_granted = models.DecimalField(
        _("person-days granted"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    money_asked = MoneyField(_("money asked"), null=True, blank=True, default=None)
    money_granted = MoneyField(_("money granted"), null=True, blank=True, default=None)
    last_review_on = models.DateField(_("last review"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", *PLAN_FIGURES])

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["-period_start", "account_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_start"], name="plan_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="plan_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "period_start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.period_start.year

    def is_editable(self) -> bool:
        """Drafts are written freely; a submitted plan waits for its decision; an approved or
        active plan is worked (objectives, actions, risks, reviews) but its frame is fixed."""
        return self.status == PlanStatus.DRAFT


class SwotKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")


class SwotItem(models.Model):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="swot_items")
    kind = models.CharField(_("kind"), max_length=20, choices=SwotKind.choices)
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Metric(models.TextChoices):
    """What an objective measures; every one but the free-text objective is read from the
    data at each refresh."""

    REVENUE = "revenue", _("Revenue in the plan period")
    GROSS_MARGIN = "gross_margin", _("Gross margin rate (%)")
    SHARE_OF_WALLET = "share_of_wallet", _("Share of wallet (%)")
    RELATIONSHIP_STAGE = "relationship_stage", _("Relationship stage")
    FUNCTIONS_MEETING = "functions_meeting", _("Our functions meeting theirs")
    FREE_TEXT = "free_text", _("Other (assessed by hand)")


class Progress(models.TextChoices):
    NOT_MEASURED = "not_measured", _("Not measured yet")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    ACHIEVED = "achieved", _("Achieved")


class Objective(TimeStamped):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    description = models.CharField(_("description"), max_length=300)
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("measured from"))
    due_on = models.DateField(_("due date"))
    actual = models.DecimalField(
        _("actual"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    progress = models.CharField(
        _("progress"), max_length=20, choices=Progress.choices, default=Progress.NOT_MEASURED
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_measured_from_data(self) -> bool:
        return self.metric != Metric.FREE_TEXT


class Strategy(TimeStamped):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="strategies")
    description = models.CharField(_("what we will do differently"), max_length=400)
    objectives = models.ManyToManyField(
        Objective, related_name="strategies", blank=True, verbose_name=_("objectives served")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[objectives])

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class ActionStatus(models.TextChoices):
    # "Open" alone is an open invoice (未结) in the ledger's catalogue.
    OPEN = "open", pgettext_lazy("plan action", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan action", "In progress")
    DONE = "done", pgettext_lazy("plan action", "Done")
    CANCELLED = "cancelled", pgettext_lazy("plan action", "Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(TimeStamped):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objective served"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("strategy served"),
    )
    interaction = models.ForeignKey(
        "interactions.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("from the next step of"),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_on < today


class ResourceFunction(models.TextChoices):
    SALES = "sales", _("Sales")
    MANAGEMENT = "management", _("Top management")
    RND = "rnd", _("R&D")
    QUALITY = "quality", _("Quality")
    OPERATIONS = "operations", _("Operations")
    LOGISTICS = "logistics", _("Logistics")
    FINANCE = "finance", _("Finance")
    SERVICE = "service", _("After-sales service")
    MARKETING = "marketing", _("Marketing")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")


class ResourceRequest(TimeStamped):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="resources")
    function = models.CharField(_("function"), max_length=20, choices=ResourceFunction.choices)
    person_days = models.DecimalField(
        _("person-days"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount = MoneyField(_("money"), null=True, blank=True, validators=[MinValueValidator(0)])
    currency = CurrencyField()
    reason = models.CharField(_("why"), max_length=400)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    granted_person_days = models.DecimalField(
        _("person-days granted"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    granted_amount = MoneyField(_("money granted"), null=True, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=400, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.reason


class TeamRole(models.TextChoices):
    KAM = "kam", _("Key account manager")
    SPONSOR = "sponsor", _("Executive sponsor")
    RND = "rnd", _("R&D support")
    QUALITY = "quality", _("Quality support")
    LOGISTICS = "logistics", _("Logistics support")
    FINANCE = "finance", _("Finance support")
    SERVICE = "service", _("Service support")
    OTHER = "other", _("Other")


class JointTeamMember(models.Model):
    """One person of the joint team: one of ours (a user) or one of theirs (a contact)."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("our person"),
    )
    contact = models.ForeignKey(
        "relationships.Contact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("their person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint team member")
        verbose_name_plural = _("joint team members")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contact__isnull=True)
                    | models.Q(user__isnull=True, contact__isnull=False)
                ),
                name="team_member_is_ours_or_theirs",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.contact)


class ValueSide(models.TextChoices):
    VALUE = "value", _("Total customer value")
    COST = "cost", _("Total customer cost")


class ValueComponent(models.TextChoices):
    """Customer delivered value (顾客让渡价值) = total customer value minus total customer cost."""

    PRODUCT = "product", _("Product value")
    SERVICE = "service", _("Service value")
    PEOPLE = "people", _("People value")
    IMAGE = "image", _("Image value")
    MONEY = "money", _("Money cost")
    TIME = "time", _("Time cost")
    EFFORT = "effort", _("Effort cost")
    RISK = "risk", _("Risk cost")


VALUE_COMPONENTS = frozenset(
    {ValueComponent.PRODUCT, ValueComponent.SERVICE, ValueComponent.PEOPLE, ValueComponent.IMAGE}
)


class ValueItem(models.Model):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="value_items")
    component = models.CharField(_("component"), max_length=20, choices=ValueComponent.choices)
    amount = MoneyField(_("amount"), null=True, blank=True, validators=[MinValueValidator(0)])
    score = models.PositiveSmallIntegerField(
        _("score (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("value component")
        verbose_name_plural = _("value components")
        ordering = ["component", "id"]

    def __str__(self) -> str:
        return self.get_component_display()

    @property
    def side(self) -> str:
        return ValueSide.VALUE if self.component in VALUE_COMPONENTS else ValueSide.COST


class RiskSource(models.TextChoices):
    OURS = "ours", _("Our side")
    CUSTOMER = "customer", _("The customer's side")


class RiskCategory(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial (price, volume)")
    COMPETITION = "competition", _("Competition")
    CREDIT = "credit", _("Credit and payment")
    DELIVERY = "delivery", _("Delivery and capacity")
    QUALITY = "quality", _("Quality")
    RELATIONSHIP = "relationship", _("Relationship and people")
    LEGAL = "legal", _("Legal and regulatory")
    STRATEGIC = "strategic", _("The customer's strategy")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk status", "Open")
    MITIGATING = "mitigating", pgettext_lazy("risk status", "Mitigating")
    CLOSED = "closed", pgettext_lazy("risk status", "Closed")
    HAPPENED = "happened", pgettext_lazy("risk status", "Happened")


OPEN_RISK_STATUSES = (RiskStatus.OPEN, RiskStatus.MITIGATING)


class Risk(TimeStamped):
    """One risk of the register (风险分析), rated on the 3x3 grid of the source slides."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="risks",
        verbose_name=_("account"),
    )
    plan = models.ForeignKey(
        AccountPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("plan"),
    )
    source = models.CharField(_("source"), max_length=20, choices=RiskSource.choices)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    description = models.CharField(_("description"), max_length=400)
    probability = models.CharField(_("probability"), max_length=10, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, editable=False)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-id"]
        indexes = [models.Index(fields=["account", "status"]), models.Index(fields=["rating"])]

    def __str__(self) -> str:
        return self.description


class PlanReview(TimeStamped):
    """A plan review (the Verify step): what changed since the last one, computed at the time
    of the review and kept as it was, then the decisions taken and the next review date."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    since = models.DateField(_("changes since"))
    figures = models.JSONField(_("what changed"), default=dict)
    decisions = models.TextField(_("decisions taken"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-held_on", "-id"]
        # The overview reads each plan's last review (and sorts by it): one index step.
        indexes = [models.Index(fields=["plan", "-held_on"], name="plans_review_last")]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on}"
