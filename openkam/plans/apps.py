from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from openkam.team.models import User


def measure_objectives(as_of: dt.date) -> None:
    """After every refresh: objectives read from the new figures, approved plans whose period
    has begun made active."""
    from openkam.plans.services import objectives_measure

    objectives_measure(as_of=as_of)


def week_actions(user: User, sunday: dt.date, limit: int) -> tuple[Sequence[Any], int]:
    """The user's open plan actions due by Sunday, overdue first (a card of "my week")."""
    from openkam.plans.selectors import open_actions_for

    due = open_actions_for(user).filter(due_on__lte=sunday)
    return list(due[:limit]), due.count()


class PlansConfig(AppConfig):
    name = "openkam.plans"
    verbose_name = _("Account plans")

    def ready(self) -> None:
        from openkam.interactions.week import WeekSection, register_week_section
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(measure_objectives)
        register_week_section(
            WeekSection(key="plan_actions", template="plans/_week_actions.html", rows=week_actions)
        )
