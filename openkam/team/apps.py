from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "openkam.team"
    verbose_name = _("KAM organisation")
