"""The record of every import, the keys ERPs use for our rows, and the decisions people take on
what an import could not decide alone (uncertain account matches, duplicate accounts)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.imports.presets import PRESETS


class Kind(models.TextChoices):
    ACCOUNTS = "accounts", _("Accounts")
    CONTACTS = "contacts", _("Contacts")
    PRODUCTS = "products", _("Products")
    ORDERS = "orders", _("Orders (order lines)")
    TRANSACTIONS = "transactions", _("Transactions (customer, date, amount)")
    DELIVERIES = "deliveries", _("Deliveries (order lines delivered)")
    INVOICES = "invoices", _("Invoices")
    PAYMENTS = "payments", _("Payments")
    COSTS = "costs", _("Costs to serve")


# Codec names (as Python and the reader name them) as a person knows the encoding.
ENCODING_NAMES = {
    "utf_8": "UTF-8", "utf_8_sig": "UTF-8", "utf-8": "UTF-8", "utf-8-sig": "UTF-8",
    "gb18030": "GB18030", "gbk": "GB18030", "gb2312": "GB18030", "cp936": "GB18030",
    "big5": "Big5", "big5hkscs": "Big5", "utf_16": "UTF-16", "utf-16": "UTF-16",
    "utf_32": "UTF-32", "cp1252": "Windows-1252", "latin_1": "Latin-1",
}  # fmt: skip


def encoding_name(codec: str) -> str:
    """ "UTF-8", "GB18030" ... for a codec name ("utf_8_sig", "gbk" ...)."""
    return ENCODING_NAMES.get(codec.lower(), codec.upper().replace("_", "-"))


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused (atomic, nothing applied)")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source system"), max_length=40)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    atomic = models.BooleanField(_("all or nothing"), default=False)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # The ERP export the header was recognised as (a key of imports.presets), or the one the user
    # chose; "" for none. Asked for by the upload before the run, recognised by the run.
    preset = models.CharField(_("ERP export"), max_length=60, blank=True)
    # What the run skipped and recognised, in the importer's words (rows above the header, totals
    # rows, the preset): shown with the counts.
    notes = models.JSONField(_("notes"), default=list, blank=True)
    # What the stored rows will get wrong unless someone acts (lines at 100 % margin): shown
    # as a warning above the counts.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    rows_read = models.PositiveIntegerField(_("read"), default=0)
    rows_inserted = models.PositiveIntegerField(_("inserted"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rows_skipped = models.PositiveIntegerField(
        _("not applied"), default=0, help_text=_("Valid rows of a refused all-or-nothing import.")
    )
    rejected_file = models.CharField(_("rejected rows file"), max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True)
    # An upload handed to the background worker: the file it reads and how far it has got.
    path = models.CharField(_("file on the server"), max_length=500, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_expected = models.PositiveIntegerField(_("rows expected"), default=0)
    progress_at = models.DateTimeField(_("progress recorded"), null=True, blank=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    # Progress is saved at least at every commit (about a second of work): this long without any
    # means the worker was most likely killed (a stop it could not record).
    STALLED_AFTER = dt.timedelta(minutes=10)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    def is_active(self) -> bool:
        """Queued or running: its page follows the progress instead of showing results."""
        return self.status in self.ACTIVE

    def is_stalled(self) -> bool:
        """Running, yet no progress saved for a long while (all-or-nothing runs save none)."""
        return (
            self.status == self.Status.RUNNING
            and self.progress_at is not None
            and timezone.now() - self.progress_at > self.STALLED_AFTER
        )

    def progress_percent(self) -> int | None:
        """Share of the file's rows done, 0-100; None while the number of rows is unknown."""
        if not self.rows_expected:
            return None
        return min(100, self.rows_done * 100 // self.rows_expected)

    @property
    def encoding_name(self) -> str:
        """The encoding the file was read in, as a person names it ("UTF-8", "GB18030")."""
        return encoding_name(self.encoding) if self.encoding else ""

    @property
    def preset_name(self) -> str:
        """The name of the ERP export the run read ("用友 U9 销售订单"), "" for none."""
        preset = PRESETS.get(self.preset)
        return preset.name if preset is not None else ""

    def counts(self) -> dict[str, int]:
        counts = {
            "read": self.rows_read,
            "inserted": self.rows_inserted,
            "updated": self.rows_updated,
            "unchanged": self.rows_unchanged,
            "rejected": self.rows_rejected,
        }
        if self.rows_skipped:
            counts["not_applied"] = self.rows_skipped
        return counts


class ImportChange(models.Model):
    """A stored row an import changed: its values before and after (the ledger's history)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(_("table"), max_length=60)
    object_id = models.BigIntegerField(_("row"))
    row = models.PositiveIntegerField(_("file row"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))

    class Meta:
        verbose_name = _("changed row")
        verbose_name_plural = _("changed rows")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class SourceMapping(models.Model):
    """Column mapping saved for a source system and kind, reused by its next imports."""

    source = models.CharField(_("source system"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    columns = models.JSONField(_("columns"), help_text=_("Field -> header in the file."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="source_mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind}"


class AccountKey(models.Model):
    """An ERP's own identifier of one of our accounts (客户编码), so its files match by key."""

    source = models.CharField(_("source system"), max_length=40)
    external_id = models.CharField(_("external ID"), max_length=80)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account key")
        verbose_name_plural = _("account keys")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="account_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class ContactKey(models.Model):
    """An ERP's or CRM's own identifier of one of our contacts."""

    source = models.CharField(_("source system"), max_length=40)
    external_id = models.CharField(_("external ID"), max_length=80)
    contact = models.ForeignKey(
        "relationships.Contact",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("contact"),
    )

    class Meta:
        verbose_name = _("contact key")
        verbose_name_plural = _("contact keys")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="contact_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class AccountMatch(models.Model):
    """A customer named in a file that resembles one of our accounts without certainty: a person
    confirms (the file's key then points to the account) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To confirm")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Basis(models.TextChoices):
        NAME = "name", _("Same name without legal form")
        FUZZY = "fuzzy", _("Similar name")
        AMBIGUOUS = "ambiguous", _("Several accounts with this name")

    source = models.CharField(_("source system"), max_length=40)
    external_id = models.CharField(_("customer key in the file"), max_length=80)
    name = models.CharField(_("customer name in the file"), max_length=200)
    credit_code = models.CharField(_("credit code in the file"), max_length=18, blank=True)
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("candidate account"),
    )
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    score = models.PositiveSmallIntegerField(_("similarity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    rows_waiting = models.PositiveIntegerField(_("rows waiting"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account match")
        verbose_name_plural = _("account matches")
        ordering = ["status", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id", "account"], name="account_match_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ~ {self.account_id}"


class AccountMerge(models.Model):
    """Two accounts made one: what moved from the dropped account to the kept one, and the
    dropped account and its set-aside rows as they were, so the merge can be undone."""

    kept = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kept account"),
    )
    dropped_id = models.BigIntegerField(_("dropped account ID"))
    dropped_name = models.CharField(_("dropped account"), max_length=200)
    moved = models.JSONField(_("moved rows"), help_text=_("model -> field -> ids"))
    set_aside = models.JSONField(_("set-aside rows"), help_text=_("serialised rows"))
    dropped_row = models.JSONField(_("dropped account as it was"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("account merge")
        verbose_name_plural = _("account merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dropped_name} -> {self.kept_id}"
