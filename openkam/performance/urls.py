from __future__ import annotations

from django.urls import path

from openkam.performance import (
    appraisal_views,
    forecast_views,
    kpi_views,
    pay_views,
    split_views,
    views,
)

app_name = "performance"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("kpis/", kpi_views.kpi_page, name="kpis"),
    path("kpis/company-target/", kpi_views.company_target, name="company_target"),
    path("kpis/company-split/", split_views.company_split, name="company_split"),
    path("kpis/<str:key>/", kpi_views.kpi_rows, name="kpi_rows"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/target/", views.team_target, name="team_target"),
    path("targets/<int:pk>/decompose/", views.decompose, name="decompose"),
    path("targets/<int:pk>/submit/", views.submit, name="submit"),
    path("targets/<int:pk>/approve/", views.approve, name="approve"),
    path("appraisals/", appraisal_views.appraisal_list, name="appraisals"),
    path("appraisals/open/", appraisal_views.appraisal_open, name="appraisal_open"),
    path("appraisals/weights/", appraisal_views.weights, name="weights"),
    path("appraisals/<int:pk>/", appraisal_views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/edit/", appraisal_views.appraisal_edit, name="appraisal_edit"),
    path("appraisals/<int:pk>/sign/", appraisal_views.appraisal_sign, name="appraisal_sign"),
    path("pay/", pay_views.my_pay, name="my_pay"),
    path("pay/<int:kam_id>/", pay_views.statement, name="statement"),
    path(
        "pay/<int:kam_id>/statement.<str:fmt>", pay_views.statement_export, name="statement_export"
    ),
    path("pay/<int:kam_id>/plan/", pay_views.plan_set, name="plan_set"),
    path("forecasts/", forecast_views.forecasts, name="forecasts"),
    path("forecasts/save/", forecast_views.forecasts_save, name="forecasts_save"),
]
