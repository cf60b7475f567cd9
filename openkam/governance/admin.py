from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.governance.models import RescoreJob, StrategicDesignation


@admin.register(StrategicDesignation)
class StrategicDesignationAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "account_link", "designate", "status", "decided_at")
    list_select_related = ("account",)
    list_filter = ("status", "designate")
    search_fields = ("account__legal_name", "account__short_name")
    raw_id_fields = ("account",)
    readonly_fields = ("proposed_by", "decided_by", "decided_at", *TIMESTAMPS)


@admin.register(RescoreJob)
class RescoreJobAdmin(admin.ModelAdmin):
    """The re-scorings the settings page handed to the worker: read only (the worker writes
    them), so an operator sees what ran, when and why one failed."""

    list_display = ("pk", "status", "requested_by", "requested_at", "finished_at",
                    "snapshots_done", "snapshots_expected")  # fmt: skip
    list_filter = ("status",)
    readonly_fields = [field.name for field in RescoreJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
