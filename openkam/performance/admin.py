from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from openkam.performance.models import Appraisal, Forecast, KpiWeight, PayPlan, Target


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


@admin.register(KpiWeight)
class KpiWeightAdmin(SimpleHistoryAdmin):
    list_display = ["team", "kpi", "weight", "target"]
    raw_id_fields = ["team"]


@admin.register(Appraisal)
class AppraisalAdmin(SimpleHistoryAdmin):
    list_display = ["kam", "period", "team", "status", "kpi_score"]
    list_filter = ["status", "period"]
    raw_id_fields = ["kam", "team", "manager"]


@admin.register(PayPlan)
class PayPlanAdmin(SimpleHistoryAdmin):
    list_display = ["kam", "year", "annual_salary", "basis", "accelerator"]
    list_filter = ["year", "basis"]
    raw_id_fields = ["kam"]
