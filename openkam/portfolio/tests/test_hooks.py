"""After-refresh hooks: how the plans app measures its objectives and the web app warms its
dashboard after a refresh, without the portfolio importing either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from openkam.plans.apps import measure_objectives
from openkam.portfolio import hooks
from openkam.web.apps import warm_dashboard


@pytest.fixture
def clean_hooks() -> Iterator[None]:
    saved, saved_warm = list(hooks._after_refresh), list(hooks._warm_ups)
    hooks._after_refresh.clear()
    hooks._warm_ups.clear()
    yield
    hooks._after_refresh[:] = saved
    hooks._warm_ups[:] = saved_warm


def test_the_apps_register_their_steps_at_start() -> None:
    assert warm_dashboard in hooks._warm_ups
    assert measure_objectives in hooks._after_refresh


@pytest.mark.usefixtures("clean_hooks")
def test_a_step_registered_twice_runs_once_in_registration_order() -> None:
    calls: list[str] = []

    def first(as_of: dt.date) -> None:
        calls.append(f"first {as_of}")

    def second(as_of: dt.date) -> None:
        calls.append(f"second {as_of}")

    def warm() -> None:
        calls.append("warm")

    for step in (first, second, first):
        hooks.register_after_refresh(step)
    hooks.register_warm_up(warm)
    hooks.run_after_refresh(dt.date(2026, 3, 1))
    assert calls == ["first 2026-03-01", "second 2026-03-01", "warm"]
    calls.clear()
    hooks.run_after_refresh(dt.date(2026, 3, 2), warm=False)
    assert calls == ["first 2026-03-02", "second 2026-03-02"]
