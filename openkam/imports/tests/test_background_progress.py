"""The run page's body is polled every second while the run is queued or running: the partial
shows the progress bar, then the counts and rejected rows without the polling once it is over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _run(**fields: Any) -> ImportRun:
    return ImportRun.objects.create(kind="orders", source="erp", file_name="订单.csv", **fields)


def test_a_queued_run_says_it_waits_for_the_worker_and_keeps_polling(world: World) -> None:
    run = _run(status=ImportRun.Status.QUEUED)
    response = client_for(world.analyst).get(reverse("imports:progress", args=[run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Waiting for the background worker" in body
    assert 'hx-trigger="every 1s"' in body
    assert 'id="run-status" class="ms-2 fs-4" data-testid="run-status" hx-swap-oob="true"' in body
    assert "Queued" in body
    assert 'data-testid="run-counts"' not in body


def test_a_running_run_shows_the_rows_done_of_those_expected(world: World) -> None:
    run = _run(status=ImportRun.Status.RUNNING, rows_done=250_000, rows_expected=1_000_000)
    body = client_for(world.analyst).get(reverse("imports:progress", args=[run.pk]))
    text = body.content.decode()
    assert "250,000 of about 1,000,000 rows" in text
    assert 'aria-valuenow="25"' in text
    assert 'style="width: 25%"' in text
    assert 'hx-trigger="every 1s"' in text


def test_a_run_still_reading_its_file_shows_an_indeterminate_bar(world: World) -> None:
    run = _run(status=ImportRun.Status.RUNNING)
    text = client_for(world.analyst).get(reverse("imports:progress", args=[run.pk])).content
    assert b"Reading the file" in text
    assert b"progress-bar-indeterminate" in text


def test_a_finished_run_stops_the_polling_and_shows_its_counts_and_rejected_rows(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = [order_row("SO-1", 1, "2024-02-30", "上海东方电梯有限公司", "M-100", "1", "9", "9")]
    run = import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    response = client_for(world.analyst).get(reverse("imports:progress", args=[run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "hx-trigger" not in body
    assert 'data-testid="run-counts"' in body
    assert "2024-02-30" in body
    assert 'id="run-actions" class="btn-list" hx-swap-oob="true"' in body
    assert 'data-testid="retry-rejected"' in body


def test_the_progress_partial_of_a_running_import_has_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    run = _run(status=ImportRun.Status.RUNNING, rows_done=5, rows_expected=10, user=world.analyst)
    client = client_for(world.analyst)
    with django_assert_num_queries(3):  # session, user, run with its user
        assert client.get(reverse("imports:progress", args=[run.pk])).status_code == 200


def test_the_progress_partial_of_a_finished_import_has_a_fixed_number_of_queries(
    world: World, catalogue: Catalogue, tmp_path: Path, django_assert_num_queries: Any
) -> None:
    rows = [order_row(f"SO-{i}", 1, "bad", "上海东方电梯有限公司", "M-100", "1", "9", "9")
            for i in range(30)]  # fmt: skip
    run = import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    client = client_for(world.analyst)
    with django_assert_num_queries(4):  # session, user, run with its user, waiting matches
        response = client.get(reverse("imports:progress", args=[run.pk]))
    assert len(response.context["page"].object_list) == 25


def test_the_page_of_a_running_import_has_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    run = _run(status=ImportRun.Status.RUNNING, rows_done=5, rows_expected=10, user=world.analyst)
    client = client_for(world.analyst)
    with django_assert_num_queries(3):  # session, user, run with its user
        assert client.get(run.get_absolute_url()).status_code == 200


def test_the_history_with_queued_and_running_imports_has_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    for status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING, ImportRun.Status.DONE):
        _run(status=status, rows_done=3, rows_expected=4, user=world.analyst)
    client = client_for(world.analyst)
    with django_assert_num_queries(4):  # session, user, count, page of runs with their users
        response = client.get(reverse("imports:list"))
    body = response.content.decode()
    assert body.count('data-testid="run-row-progress"') == 2
    assert "75%" in body


def test_a_running_import_without_progress_for_long_says_the_worker_probably_stopped(
    world: World,
) -> None:
    stale = timezone.now() - ImportRun.STALLED_AFTER - dt.timedelta(seconds=1)
    run = _run(status=ImportRun.Status.RUNNING, rows_done=5, rows_expected=10, progress_at=stale)
    fresh = _run(status=ImportRun.Status.RUNNING, rows_done=5, rows_expected=10,
                 progress_at=timezone.now())  # fmt: skip
    client = client_for(world.analyst)
    stalled = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert "the background worker was probably stopped" in stalled
    assert 'hx-trigger="every 1s"' in stalled  # it may still resume
    going = client.get(reverse("imports:progress", args=[fresh.pk])).content.decode()
    assert 'data-testid="run-stalled"' not in going
