"""Contracts and framework agreements (合同管理, DOMAIN §6): what was agreed with an account
(or with a group for all its subsidiaries), its terms per product or product family, the
signed files, the amendments with every version kept, and the status read from its dates.

A contract is written freely while it is a draft; once signed it changes only by an amendment
(what, why, who approved it, from when), and simple-history keeps every version of the
contract and of its terms.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openkam.common.models import CurrencyField, MoneyField, TimeStamped
from openkam.common.money import UNIT_PLACES

# Days before the notice deadline (or the end, with no notice period) from which a contract
# is "expiring" and its renewal due; the renewal rule has its own setting, this is the pages'.
RENEWAL_AHEAD_DAYS = 60
# Bounds that keep dates and the execution's months in reach (a term of 9,999 years would
# chart 120,000 months).
MAX_TERM_YEARS = 30
MAX_NOTICE_DAYS = 3660


def renewal_ahead_days() -> int:
    return int(getattr(settings, "OPENKAM_CONTRACT_RENEWAL_DAYS", RENEWAL_AHEAD_DAYS))


class ContractFiles(FileSystemStorage):
    """Files under the var folder, never under a public URL: they are served by a view that
    checks the account's visibility. The folder is read from settings.VAR_DIR at each use, so
    a test's temporary folder is honoured."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.VAR_DIR) / "contracts")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def attachment_storage() -> FileSystemStorage:
    return ContractFiles()


class ContractKind(models.TextChoices):
    FRAMEWORK = "framework", _("Framework agreement")
    ANNUAL_SUPPLY = "annual_supply", _("Annual supply contract")
    SPOT = "spot", _("Spot contract")
    PRICE = "price", _("Price agreement")


class ContractState(models.TextChoices):
    """What was done to the contract by hand; its status adds what the dates say."""

    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")


class ContractStatus(models.TextChoices):
    """The status shown everywhere (selectors.with_status computes it in the database)."""

    DRAFT = "draft", pgettext_lazy("contract status", "Draft")
    ACTIVE = "active", pgettext_lazy("contract status", "Active")
    EXPIRING = "expiring", pgettext_lazy("contract status", "Expiring")
    EXPIRED = "expired", pgettext_lazy("contract status", "Expired")
    TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")
    RENEWED = "renewed", pgettext_lazy("contract status", "Renewed")


class CommitmentPeriod(models.TextChoices):
    """What the contracted volumes and values are per: they apply to each such period,
    counted in calendar months from the contract's start month."""

    TERM = "term", _("The whole term")
    YEAR = "year", _("Per year")
    QUARTER = "quarter", _("Per quarter")
    MONTH = "month", _("Per month")


PERIOD_MONTHS = {
    CommitmentPeriod.YEAR: 12,
    CommitmentPeriod.QUARTER: 3,
    CommitmentPeriod.MONTH: 1,
}


class Contract(TimeStamped):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="contracts",
        verbose_name=_("account"),
    )
    covers_group = models.BooleanField(
        _("covers the group's subsidiaries"),
        default=False,
        help_text=_("Signed with the group: purchases of every company below it count."),
    )
    # The companies whose purchases count (the account, and its group below it when
    # covers_group), kept by the services and after every refresh, so execution joins them.
    covered_accounts = models.ManyToManyField(
        "accounts.Account", related_name="covering_contracts", blank=True, editable=False
    )
    kind = models.CharField(_("type"), max_length=20, choices=ContractKind.choices)
    number = models.CharField(_("contract number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=ContractState.choices, default=ContractState.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    notice_days = models.PositiveIntegerField(
        _("notice period (days)"),
        default=0,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text=_("Notice to give before the end to terminate or renegotiate."),
    )
    notice_by = models.DateField(_("notice deadline"), editable=False)
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    currency = CurrencyField()
    commitment_period = models.CharField(
        _("volumes and values are"),
        max_length=10,
        choices=CommitmentPeriod.choices,
        default=CommitmentPeriod.YEAR,
    )
    committed_value = MoneyField(
        _("contracted value per period"),
        null=True,
        blank=True,
        default=None,
        help_text=_("All purchases of the covered companies count towards it."),
    )
    delivery_terms = models.TextField(_("delivery terms"), blank=True)
    price_terms = models.TextField(_("price terms"), blank=True)
    payment_terms = models.TextField(_("payment terms"), blank=True)
    payment_days = models.PositiveIntegerField(
        _("payment within (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
    )
    quality_terms = models.TextField(_("quality terms"), blank=True)
    breach_liability = models.TextField(_("breach liability"), blank=True)
    dispute_resolution = models.TextField(_("dispute resolution"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_contracts",
        verbose_name=_("owner"),
    )
    renews = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews"),
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "ends_on"]),
            models.Index(fields=["state", "ends_on"]),
            models.Index(fields=["notice_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def notice_deadline(self) -> dt.date:
        """The last day to give notice: the end less the notice period (the calendar's first
        day when that would fall before it)."""
        try:
            return self.ends_on - dt.timedelta(days=self.notice_days or 0)
        except OverflowError:
            return dt.date.min

    def renewal_due_on(self) -> dt.date:
        """When the renewal must be decided: the notice deadline (the end with no notice)."""
        return self.notice_by

    def is_editable(self) -> bool:
        """A draft is written freely; a signed contract changes only by an amendment."""
        return self.state == ContractState.DRAFT

    def period_months(self) -> int:
        """Calendar months of one commitment period (the whole term's for `term`)."""
        if self.commitment_period in PERIOD_MONTHS:
            return PERIOD_MONTHS[CommitmentPeriod(self.commitment_period)]
        return term_months(self.starts_on, self.ends_on)


def term_months(starts_on: dt.date, ends_on: dt.date) -> int:
    """Calendar months from the start's month to the end's month, both counted."""
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


class ContractItem(models.Model):
    """One product or product family under the contract: specification and quality terms,
    the contracted price, and the volume and value per commitment period."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="items", verbose_name=_("contract")
    )
    family = models.CharField(_("product family"), max_length=100, blank=True)
    product = models.ForeignKey(
        "ledger.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_items",
        verbose_name=_("product"),
    )
    specification = models.TextField(_("specification"), blank=True)
    quality_terms = models.TextField(_("quality terms"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = MoneyField(
        _("contracted unit price"), decimal_places=UNIT_PLACES, null=True, blank=True, default=None
    )
    quantity = models.DecimalField(
        _("contracted volume per period"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    amount = MoneyField(
        _("contracted value per period"),
        null=True,
        blank=True,
        default=None,
        validators=[MinValueValidator(Decimal("0"))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract item")
        verbose_name_plural = _("contract items")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(family="") | models.Q(product__isnull=False),
                name="contract_item_names_what",
            ),
        ]

    def __str__(self) -> str:
        return str(self.product) if self.product_id else self.family


class Amendment(models.Model):
    """A change to a signed contract: what changed (the fields before and after, recorded by
    the service), why, who approved it and from when it applies."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("contract")
    )
    sequence = models.PositiveSmallIntegerField(_("amendment no."))
    summary = models.CharField(_("what changes"), max_length=300)
    reason = models.TextField(_("why"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approved_amendments",
        verbose_name=_("approved by"),
    )
    effective_on = models.DateField(_("effective from"))
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="amendment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.sequence} {self.summary}"


class AttachmentKind(models.TextChoices):
    SIGNED = "signed", _("Signed contract")
    ANNEX = "annex", _("Annex")
    AMENDMENT = "amendment", _("Signed amendment")
    OTHER = "other", _("Other")


class Attachment(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("contract")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), storage=attachment_storage, upload_to="%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contracts:attachment", args=[self.pk])
