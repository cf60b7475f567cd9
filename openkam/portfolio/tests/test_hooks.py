"""After-refresh hooks: how the web app has the refresh warm its dashboard without the
portfolio importing it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openkam.portfolio import hooks
from openkam.web.dashboard import warm_dashboard


@pytest.fixture
def clean_hooks() -> Iterator[list[hooks.AfterRefresh]]:
    saved = list(hooks._after_refresh)
    hooks._after_refresh.clear()
    yield hooks._after_refresh
    hooks._after_refresh[:] = saved


def test_the_web_app_registers_the_dashboard_warm_up_at_start() -> None:
    assert warm_dashboard in hooks._after_refresh


def test_a_step_registered_twice_runs_once_in_registration_order(
    clean_hooks: list[hooks.AfterRefresh],
) -> None:
    calls: list[str] = []

    def first() -> None:
        calls.append("first")

    def second() -> None:
        calls.append("second")

    for step in (first, second, first):
        hooks.register_after_refresh(step)
    hooks.run_after_refresh()
    assert calls == ["first", "second"]
