from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyzeConfig(AppConfig):
    name = "openkam.analyze"
    verbose_name = _("File analysis")
