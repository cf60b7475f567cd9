"""A queued import that fails is recorded on its run (status failed, with the reason), never
left queued or running: a file that cannot be imported, a file gone, an error, a stopped worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_tasks.exceptions import InvalidTaskError

from openkam.conftest import World, client_for
from openkam.imports import tasks
from openkam.imports.models import ImportRun
from openkam.imports.tasks import import_enqueue, import_file
from openkam.imports.tests.helpers import Catalogue, write_csv
from openkam.ledger.models import OrderLine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _queued(path: Path, settings: Any) -> ImportRun:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return import_enqueue(kind="orders", path=path, user=None, source="erp", file_name=path.name)


def test_a_file_without_the_needed_columns_fails_with_its_message_on_the_page(
    world: World, catalogue: Catalogue, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_csv(tmp_path / "x.csv", ["客户", "备注"], [["上海东方电梯有限公司", "-"]])
    client = client_for(world.analyst)
    with path.open("rb") as handle:
        response = client.post(reverse("imports:upload"), {"kind": "orders", "source": "erp",
                                                           "file": handle})  # fmt: skip
    run = ImportRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == ImportRun.Status.FAILED
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("The file could not be imported: columns not found: order number")
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="run-message"' in page
    assert 'hx-trigger="every' not in page  # a failed run's page stops polling
    assert not OrderLine.objects.exists()


def test_a_file_gone_before_the_worker_starts_fails_with_a_message(
    catalogue: Catalogue, tmp_path: Path, settings: Any
) -> None:
    path = write_csv(tmp_path / "o.csv", ["订单号"], [])
    run = _queued(path, settings)
    path.unlink()
    assert import_file.call(run.pk) == ImportRun.Status.FAILED
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.message
    assert run.finished_at is not None


def test_an_unexpected_error_is_recorded_on_the_run_and_raised_for_the_workers_log(
    catalogue: Catalogue, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _queued(write_csv(tmp_path / "o.csv", ["订单号"], []), settings)

    def broken(**kwargs: Any) -> ImportRun:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_run", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.message) == (ImportRun.Status.FAILED, "unexpected error: disk full")


def test_a_worker_stopped_during_an_import_leaves_the_run_failed_not_running(
    catalogue: Catalogue, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _queued(write_csv(tmp_path / "o.csv", ["订单号"], []), settings)

    def stopped(**kwargs: Any) -> ImportRun:
        raise SystemExit(1)  # what the worker's second stop signal raises inside the task

    monkeypatch.setattr(tasks, "import_run", stopped)
    with pytest.raises(SystemExit):
        import_file.call(run.pk, language="en")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("the background worker was stopped during the import")


def test_a_queue_that_refuses_the_task_leaves_the_run_failed_not_queued(
    catalogue: Catalogue, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["reports"]}
    }
    path = write_csv(tmp_path / "o.csv", ["订单号"], [])
    with pytest.raises(InvalidTaskError):
        import_enqueue(kind="orders", path=path, user=None, source="erp", file_name="o.csv")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("the import could not be queued: ")
