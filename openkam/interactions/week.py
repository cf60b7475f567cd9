"""More cards for "my week" from apps above interactions: the plans app adds the user's open
plan actions (alerts and cases will add theirs). They register here from their
AppConfig.ready, so interactions, which sits below them, never imports them (README,
"Layout")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openkam.team.models import User

# (user, Sunday of the week) -> (the rows to show, how many there are in all)
WeekRows = Callable[[User, dt.date, int], tuple[Sequence[Any], int]]


@dataclass(frozen=True)
class WeekSection:
    key: str
    template: str  # renders one card; gets `rows`, `total` and `today`
    rows: WeekRows


@dataclass(frozen=True)
class WeekCard:
    section: WeekSection
    rows: Sequence[Any]
    total: int


_sections: list[WeekSection] = []


def register_week_section(section: WeekSection) -> WeekSection:
    """Add a card to "my week" (once, whatever the number of calls)."""
    if all(known.key != section.key for known in _sections):
        _sections.append(section)
    return section


def week_cards(user: User, *, sunday: dt.date, limit: int) -> list[WeekCard]:
    """Every registered card's rows for this user and week, in registration order."""
    cards = []
    for section in _sections:
        rows, total = section.rows(user, sunday, limit)
        cards.append(WeekCard(section=section, rows=rows, total=total))
    return cards
