"""Work other apps want done once a refresh has stored its snapshot (the web app computes
the company-wide dashboard). They register here from their AppConfig.ready, so the portfolio,
which sits below the pages, never imports them (README, "Layout")."""

from __future__ import annotations

from collections.abc import Callable

AfterRefresh = Callable[[], None]
_after_refresh: list[AfterRefresh] = []


def register_after_refresh(step: AfterRefresh) -> AfterRefresh:
    """Add `step` to what `openkam refresh` runs after a refresh (once, however often the
    app registers it: tests may call ready() again)."""
    if step not in _after_refresh:
        _after_refresh.append(step)
    return step


def run_after_refresh() -> None:
    """Run every registered step, in the order the apps registered them."""
    for step in _after_refresh:
        step()
