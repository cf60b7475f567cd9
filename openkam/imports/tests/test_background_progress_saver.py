"""The worker saves a run's progress cheaply: the first batch at once, then at most once a
second, and always the last one, as one UPDATE of the run's row."""

from __future__ import annotations

from typing import Any

import pytest

from openkam.imports.models import ImportRun
from openkam.imports.tasks import ProgressSaver

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_saved_at_most_once_a_second_and_at_the_end(
    django_assert_num_queries: Any,
) -> None:
    run = ImportRun.objects.create(kind="orders", source="erp", file_name="o.csv",
                                   status=ImportRun.Status.RUNNING)  # fmt: skip
    clock = Clock()
    saver = ProgressSaver(run, clock=clock)
    with django_assert_num_queries(1):
        saver(5_000, 100_000)
    assert ImportRun.objects.values_list("rows_done", "rows_expected").get() == (5_000, 100_000)
    with django_assert_num_queries(0):
        clock.now += 0.4
        saver(10_000, 100_000)
        clock.now += 0.4
        saver(15_000, 100_000)
    assert ImportRun.objects.get().rows_done == 5_000
    clock.now += 0.3
    with django_assert_num_queries(1):
        saver(20_000, 100_000)
    with django_assert_num_queries(1):
        saver(100_000, 100_000)
    stored = ImportRun.objects.get()
    assert (stored.rows_done, stored.progress_percent(), stored.progress_at) == (
        100_000, 100, run.progress_at)  # fmt: skip
    assert (run.rows_done, run.rows_expected) == (100_000, 100_000)
