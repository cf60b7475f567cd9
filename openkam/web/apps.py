from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "openkam.web"
    verbose_name = _("Web shell")

    def ready(self) -> None:
        """The pages sit above the portfolio: the refresh learns here, not by importing the
        web app, that the company-wide dashboard is computed once its snapshot is stored."""
        from openkam.portfolio.hooks import register_warm_up
        from openkam.web.dashboard import warm_dashboard

        register_warm_up(warm_dashboard)
