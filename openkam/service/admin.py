from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from openkam.service.models import ServiceCase, SlaPolicy


@admin.register(ServiceCase)
class ServiceCaseAdmin(SimpleHistoryAdmin):
    list_display = ("id", "title", "account", "kind", "severity", "status", "opened_at", "owner")
    list_filter = ("kind", "severity", "status")
    search_fields = ("title", "account__legal_name")
    raw_id_fields = ("account", "contact", "product", "owner")
    readonly_fields = ("response_due", "resolution_due")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("tier", "severity", "response_hours", "resolution_hours")
    list_filter = ("tier",)
