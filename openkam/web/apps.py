from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def warm_dashboard() -> None:
    """The company-wide dashboard computed once a refresh has stored its snapshot. Imported
    here, not at start-up: the dashboard's module brings the analytics (numpy, scipy), which
    a process that never refreshes (an import, the worker) should not load."""
    from openkam.web.dashboard import warm_dashboard as warm

    warm()


class WebConfig(AppConfig):
    name = "openkam.web"
    verbose_name = _("Web shell")

    def ready(self) -> None:
        """The pages sit above the portfolio: the refresh learns here, not by importing the
        web app, that the company-wide dashboard is computed once its snapshot is stored."""
        from openkam.portfolio.hooks import register_warm_up

        register_warm_up(warm_dashboard)
