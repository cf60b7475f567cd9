from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "openkam.surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        # The portfolio sits below this app: it reads satisfaction through the reader
        # registered here (portfolio/hooks.py), never by importing surveys.
        from openkam.portfolio.hooks import register_satisfaction
        from openkam.surveys.feeds import satisfaction_figures

        register_satisfaction(satisfaction_figures)
