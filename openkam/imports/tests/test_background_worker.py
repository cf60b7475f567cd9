"""The real hand-off: an upload queued in the database is imported by the worker command
(`openkam db_worker --batch` processes what is queued, then exits), which fills in the run."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun
from openkam.imports.tests.helpers import Catalogue, write_csv
from openkam.imports.tests.test_import_pages import order_upload
from openkam.ledger.models import OrderLine

# The worker claims tasks in its own transactions: the test must not wrap it in one.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker() -> Iterator[Any]:
    """Runs the worker command once over the queue; it installs signal handlers for a graceful
    stop, which are put back afterwards so Ctrl+C still stops the test run."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                       signal.SIGQUIT)}  # fmt: skip

    def run() -> None:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay",
                     "--interval", "0", verbosity=0)  # fmt: skip

    yield run
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_the_worker_imports_a_queued_upload_and_fills_in_its_run(
    world: World, catalogue: Catalogue, tmp_path: Path, run_worker: Any
) -> None:
    client = client_for(world.analyst)
    client.post(reverse("imports:upload"), {"kind": "orders", "source": "用友",
                                            "file": order_upload(tmp_path)})  # fmt: skip
    assert ImportRun.objects.get().status == ImportRun.Status.QUEUED

    run_worker()

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE
    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (2, 1, 1)
    assert (run.rows_done, run.rows_expected) == (2, 2)
    assert run.encoding == "gb18030"
    assert len(run.sha256) == 64
    assert run.finished_at is not None
    assert OrderLine.objects.get().account == catalogue.east
    assert Path(run.path).is_file()  # the upload stays where the page saved it
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    page = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert 'data-testid="run-counts"' in page
    assert "2024-02-30" in page
    assert "hx-trigger" not in page


@pytest.mark.usefixtures("english")
def test_a_file_the_worker_cannot_read_ends_as_failed_with_its_message_in_the_users_language(
    world: World, catalogue: Catalogue, tmp_path: Path, run_worker: Any
) -> None:
    path = write_csv(tmp_path / "x.csv", ["客户", "备注"], [["上海东方电梯有限公司", "-"]])
    upload = {"kind": "orders", "source": "erp", "file": path.open("rb")}
    client_for(world.executive).post(reverse("imports:upload"), upload)

    run_worker()

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("columns not found: order number, order date, SKU")
    assert run.message.endswith("the file's columns are: 客户, 备注")
    assert run.finished_at is not None
    assert not OrderLine.objects.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # recorded on the run, not lost
