"""Strategic designation (战略客户, DOMAIN §2.2): management designates an account strategic on
the four criteria of the policy (a well-known brand; strategic cooperation potential; entry
into the customer's global sourcing; not a competitor), each with its evidence, and a reason.
Analysts (marketing) propose; executives (the general manager) decide, which sets
`Account.is_strategic` with a history entry. An executive's own designation is decided at
once. The policy aims at 3-5 strategic partners (STRATEGIC_TARGET)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from openkam.common.models import TimeStamped

STRATEGIC_TARGET = (3, 5)
CRITERIA = ("brand", "cooperation", "global_sourcing", "not_competitor")


class StrategicDesignation(TimeStamped):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="strategic_designations",
    )
    designate = models.BooleanField(
        _("designate strategic"), default=True, help_text=_("Off: withdraw the designation.")
    )
    brand = models.BooleanField(_("well-known brand"), default=False)
    brand_evidence = models.TextField(_("evidence: brand"), blank=True)
    cooperation = models.BooleanField(_("strategic cooperation potential"), default=False)
    cooperation_evidence = models.TextField(_("evidence: cooperation potential"), blank=True)
    global_sourcing = models.BooleanField(
        _("entry into the customer's global sourcing"), default=False
    )
    global_sourcing_evidence = models.TextField(_("evidence: global sourcing"), blank=True)
    not_competitor = models.BooleanField(_("not a competitor"), default=False)
    not_competitor_evidence = models.TextField(_("evidence: not a competitor"), blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("strategic designation")
        verbose_name_plural = _("strategic designations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="proposed"),
                name="one_open_strategic_designation_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {'+' if self.designate else '-'} {self.status}"

    def criteria(self) -> list[tuple[str, bool, str]]:
        """(label, met, evidence) for each of the four criteria."""
        return [
            (str(getattr(self._meta.get_field(name), "verbose_name", name)), getattr(self, name),
             getattr(self, f"{name}_evidence"))
            for name in CRITERIA
        ]  # fmt: skip


class RescoreJob(models.Model):
    """Scoring the latest refresh again after the scorecard criteria changed, handed to the
    background worker (`openkam db_worker`): at 100,000 accounts it takes longer than a page
    may. The settings page follows its progress; a failed job keeps its reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    progress_at = models.DateTimeField(_("progress recorded"), null=True, blank=True)
    snapshots_done = models.PositiveIntegerField(_("snapshots scored"), default=0)
    snapshots_expected = models.PositiveIntegerField(_("snapshots to score"), default=0)
    message = models.TextField(_("message"), blank=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    class Meta:
        verbose_name = _("re-scoring")
        verbose_name_plural = _("re-scorings")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.status}"

    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def progress_percent(self) -> int | None:
        """Share of the snapshots scored, 0-100; None until the worker has counted them."""
        if not self.snapshots_expected:
            return None
        return min(100, self.snapshots_done * 100 // self.snapshots_expected)
