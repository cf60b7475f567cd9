"""A queued run is imported once: a task for a run the worker has taken already (or that has
finished) leaves it as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openkam.imports.models import ImportRun
from openkam.imports.tasks import import_enqueue, import_file
from openkam.imports.tests.helpers import Catalogue, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [ImportRun.Status.RUNNING, ImportRun.Status.DONE])
def test_a_task_for_a_run_that_is_no_longer_queued_imports_nothing(
    catalogue: Catalogue, tmp_path: Path, settings: Any, status: str
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = write_csv(tmp_path / "o.csv", ["订单号"], [])
    run = import_enqueue(kind="orders", path=path, user=None, source="erp", file_name="o.csv")
    ImportRun.objects.filter(pk=run.pk).update(status=status, rows_read=7)
    assert import_file.call(run.pk) == status
    run.refresh_from_db()
    assert (run.status, run.rows_read, run.sha256, run.finished_at) == (status, 7, "", None)
