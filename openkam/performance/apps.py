from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "openkam.performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from openkam.performance.kpi_report import warm_company_year
        from openkam.portfolio.hooks import register_warm_up

        register_warm_up(warm_company_year)
