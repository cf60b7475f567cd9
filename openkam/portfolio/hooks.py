"""Work other apps want done once a refresh has stored its snapshot: the plans app measures
its objectives on the new figures (every refresh, as of its date); the web app computes the
company-wide dashboard (a warm-up, skipped by `openkam refresh --no-warm`). They register here
from their AppConfig.ready, so the portfolio, which sits below them, never imports them
(README, "Layout").

The surveys app registers the reader of satisfaction the same way: a refresh feeds it to the
loyalty preference axis, the strength scorecard's "satisfaction" and the churn signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AfterRefresh = Callable[[dt.date], None]
WarmUp = Callable[[], None]
_after_refresh: list[AfterRefresh] = []
_warm_ups: list[WarmUp] = []


@dataclass(frozen=True)
class Satisfaction:
    """Per account, aligned with the refresh's account ids (NaN where unknown): the mean CSAT
    (1-5), it rescaled to 0..1, and its change since the survey before."""

    csat: Any
    level: Any
    change: Any


# (sorted account ids, as of) -> Satisfaction
SatisfactionReader = Callable[[Any, dt.date], Satisfaction]
_satisfaction: list[SatisfactionReader] = []


def register_satisfaction(reader: SatisfactionReader) -> SatisfactionReader:
    """Set the reader of satisfaction (once: the last app to register wins)."""
    _satisfaction[:] = [reader]
    return reader


def satisfaction(ids: Any, as_of: dt.date) -> Satisfaction | None:
    """The registered reader's figures, or None when no app measures satisfaction."""
    return _satisfaction[0](ids, as_of) if _satisfaction else None


def register_after_refresh(step: AfterRefresh) -> AfterRefresh:
    """Add `step` to what runs after every refresh, given the refresh's date (once, however
    often the app registers it: tests may call ready() again)."""
    if step not in _after_refresh:
        _after_refresh.append(step)
    return step


def register_warm_up(step: WarmUp) -> WarmUp:
    """Add `step` to what a refresh precomputes for the pages unless told not to."""
    if step not in _warm_ups:
        _warm_ups.append(step)
    return step


def run_after_refresh(as_of: dt.date, *, warm: bool = True) -> None:
    """Every registered step in the order the apps registered them; the warm-ups last."""
    for step in _after_refresh:
        step(as_of)
    if warm:
        for warm_up in _warm_ups:
            warm_up()
