"""Who may not import is refused before anything is saved or queued, and may not follow a
run's progress either: a viewer (403); a KAM or a director, who import their own ledger, may not
import another kind (400) nor follow or retry another's run (404)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun
from openkam.imports.tests.helpers import Catalogue
from openkam.imports.tests.test_import_pages import order_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [("viewer", "orders", 403), ("kam", "accounts", 400), ("director", "products", 400)],
)
def test_a_refused_persona_queues_nothing(
    world: World, catalogue: Catalogue, tmp_path: Path, var_dir: Path, persona: str, kind: str,
    status: int,
) -> None:  # fmt: skip
    client = client_for(getattr(world, persona))
    data = {"kind": kind, "source": "erp", "file": order_upload(tmp_path)}
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == status
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not (var_dir / "imports" / "uploads").exists()


@pytest.mark.parametrize(("persona", "status"), [("kam", 404), ("viewer", 403), ("director", 404)])
def test_a_refused_persona_may_not_poll_a_runs_progress(
    world: World, persona: str, status: int
) -> None:
    run = ImportRun.objects.create(kind="orders", source="erp", file_name="o.csv",
                                   status=ImportRun.Status.RUNNING)  # fmt: skip
    response = client_for(getattr(world, persona)).get(reverse("imports:progress", args=[run.pk]))
    assert response.status_code == status


def test_a_refused_persona_may_not_queue_rejected_rows_again(world: World) -> None:
    run = ImportRun.objects.create(kind="orders", source="erp", file_name="o.csv",
                                   status=ImportRun.Status.DONE)  # fmt: skip
    response = client_for(world.kam).post(reverse("imports:retry", args=[run.pk]))
    assert response.status_code == 404  # another's run
    assert ImportRun.objects.count() == 1
    assert not DBTaskResult.objects.exists()
