"""An upload hands its import to the background worker: the request saves the file, records the
run as queued, enqueues its task in the database and returns at once to the run's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.imports.tests.test_import_pages import order_upload
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS


@pytest.mark.usefixtures("english")
def test_an_upload_is_queued_and_the_request_returns_before_the_import(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.analyst)
    data = {"kind": "orders", "source": "用友", "file": order_upload(tmp_path), "atomic": "on",
            "encoding": "gb18030", "mapping": "order_no=订单号"}  # fmt: skip
    response = client.post(reverse("imports:upload"), data)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The file is queued: it is imported in the background and this page shows how far it "
        "has got."
    ]
    assert run.status == ImportRun.Status.QUEUED
    assert (run.user, run.source, run.file_name, run.atomic, run.encoding) == (
        world.analyst, "用友", "订单.csv", True, "gb18030")  # fmt: skip
    assert run.mapping == {"order_no": "订单号"}
    assert (run.rows_read, run.rows_done, run.finished_at) == (0, 0, None)
    assert Path(run.path).read_bytes() == order_upload(tmp_path).read()
    task = DBTaskResult.objects.get()
    assert task.task_path == "openkam.imports.tasks.import_file"
    assert task.status == "READY"
    assert task.args_kwargs["args"] == [run.pk]
    assert task.args_kwargs["kwargs"]["language"] == "en"
    assert not OrderLine.objects.exists()


def test_the_queued_run_page_polls_its_progress(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.executive)
    client.post(reverse("imports:upload"), {"kind": "orders", "source": "erp",
                                            "file": order_upload(tmp_path)})  # fmt: skip
    run = ImportRun.objects.get()
    page = client.get(run.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert f'hx-get="{reverse("imports:progress", args=[run.pk])}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert 'data-testid="run-progress"' in body
    assert 'data-testid="run-counts"' not in body
    listed = client.get(reverse("imports:list")).content.decode()
    assert 'data-testid="run-row-progress"' in listed


def test_import_rejected_rows_again_goes_through_the_queue(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = [order_row("SO-1", 1, "2024-02-30", "上海东方电梯有限公司", "M-100", "1", "9", "9")]
    first = import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    response = client_for(world.analyst).post(reverse("imports:retry", args=[first.pk]))

    retry = ImportRun.objects.exclude(pk=first.pk).get()
    assert response["Location"] == retry.get_absolute_url()
    assert (retry.status, retry.user, retry.path) == (
        ImportRun.Status.QUEUED, world.analyst, first.rejected_file)  # fmt: skip
    assert DBTaskResult.objects.get().args_kwargs["args"] == [retry.pk]
