from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def measure_objectives(as_of: dt.date) -> None:
    """After every refresh: objectives read from the new figures, approved plans whose period
    has begun made active."""
    from openkam.plans.services import objectives_measure

    objectives_measure(as_of=as_of)


class PlansConfig(AppConfig):
    name = "openkam.plans"
    verbose_name = _("Account plans")

    def ready(self) -> None:
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(measure_objectives)
