from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from openkam.team.models import User


def suggest_lifecycle(as_of: dt.date) -> None:
    """After every refresh: every account's lifecycle stage from the new snapshot. A
    back-dated refresh (older than the newest) only fills in the trend: the stages follow the
    newest figures."""
    from openkam.portfolio.models import PortfolioRun
    from openkam.retention.services import lifecycle_refresh

    done = PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE)
    if done.filter(as_of__gt=as_of).exists():
        return
    lifecycle_refresh(as_of=as_of)


def week_actions(user: User, sunday: dt.date, limit: int) -> tuple[Sequence[Any], int]:
    """The user's open win-back actions due by Sunday, overdue first (a card of "my week")."""
    from openkam.retention.selectors import open_actions_for

    due = open_actions_for(user).filter(due_on__lte=sunday)
    return list(due[:limit]), due.count()


class RetentionConfig(AppConfig):
    name = "openkam.retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from openkam.interactions.week import WeekSection, register_week_section
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(suggest_lifecycle)
        register_week_section(
            WeekSection(
                key="winback_actions",
                template="retention/_week_actions.html",
                rows=week_actions,
            )
        )
