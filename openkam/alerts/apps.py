from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def evaluate_after_refresh(as_of: dt.date) -> None:
    """After every refresh: the rules read the new snapshot as of its date."""
    from openkam.alerts.services import alerts_evaluate

    alerts_evaluate(as_of=as_of)


class AlertsConfig(AppConfig):
    name = "openkam.alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(evaluate_after_refresh)
