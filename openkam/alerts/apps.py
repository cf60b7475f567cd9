from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def evaluate_after_refresh(as_of: dt.date) -> None:
    """After every refresh: the rules read the new snapshot as of its date. A back-dated
    refresh (an older date than the newest snapshot) only fills in the trend: the alerts follow
    the newest figures."""
    from openkam.alerts.services import alerts_evaluate
    from openkam.portfolio.models import PortfolioRun

    done = PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE)
    if done.filter(as_of__gt=as_of).exists():
        return
    alerts_evaluate(as_of=as_of)


class AlertsConfig(AppConfig):
    name = "openkam.alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(evaluate_after_refresh)
        from openkam.alerts.notifications import tier_approved_received
        from openkam.governance.signals import tier_approved

        tier_approved.connect(tier_approved_received, dispatch_uid="alerts_tier_approved_mail")
