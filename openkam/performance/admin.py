from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from openkam.performance.models import Forecast, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "level", "metric", "team", "kam", "account", "amount", "status"]
    list_filter = ["year", "level", "metric", "status"]
    raw_id_fields = ["team", "kam", "account", "parent", "approved_by"]


@admin.register(Forecast)
class ForecastAdmin(SimpleHistoryAdmin):
    list_display = ["account", "kam", "year", "quarter", "amount", "model_amount"]
    list_filter = ["year", "quarter"]
    raw_id_fields = ["account", "kam"]
