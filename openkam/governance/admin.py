from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.governance.models import StrategicDesignation


@admin.register(StrategicDesignation)
class StrategicDesignationAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "account_link", "designate", "status", "decided_at")
    list_select_related = ("account",)
    list_filter = ("status", "designate")
    search_fields = ("account__legal_name", "account__short_name")
    raw_id_fields = ("account",)
    readonly_fields = ("proposed_by", "decided_by", "decided_at", *TIMESTAMPS)
