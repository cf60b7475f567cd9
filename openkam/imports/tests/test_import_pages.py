"""The upload page runs the same engine; history, run detail and rejected-rows download; only
executives, analysts and administrators may import (an import writes across every account).

Here the upload's task runs inside the request (the immediate backend), so each page can be
checked after it; test_background_*.py queue it in the database for the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def order_upload(tmp_path: Path, *, bad: bool = True) -> SimpleUploadedFile:
    """An orders file of two lines, the second (unless not ``bad``) with an impossible date."""
    rows = [order_row("SO-1", 1, "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "9", "9")]
    if bad:
        rows.append(order_row("SO-2", 1, "2024-02-30", "上海东方电梯有限公司", "M-100", "1", "9",
                              "9"))  # fmt: skip
    path = write_csv(tmp_path / "u.csv", ORDER_HEADERS, rows, encoding="gb18030")
    return SimpleUploadedFile("订单.csv", path.read_bytes(), content_type="text/csv")


@pytest.mark.usefixtures("english")
def test_an_analyst_uploads_a_file_and_sees_its_counts_and_rejected_rows(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.analyst)
    response = client.post(
        reverse("imports:upload"),
        {"kind": "orders", "source": "用友", "file": order_upload(tmp_path)},
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert (run.user, run.source, run.file_name, run.rows_inserted, run.rows_rejected) == (
        world.analyst,
        "用友",
        "订单.csv",
        1,
        1,
    )
    assert OrderLine.objects.count() == 1
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert "no such date" in page.content.decode()
    assert "2024-02-30" in page.content.decode()
    download = client.get(reverse("imports:rejected", args=[run.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "SO-2" in body
    assert "SO-1" not in body


def test_an_atomic_upload_with_a_bad_row_stores_nothing(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.executive)
    data = {"kind": "orders", "source": "erp", "file": order_upload(tmp_path), "atomic": "on"}
    client.post(reverse("imports:upload"), data)
    assert ImportRun.objects.get().status == ImportRun.Status.REFUSED
    assert not OrderLine.objects.exists()


@pytest.mark.usefixtures("english")
def test_a_file_that_is_not_a_table_is_refused_with_a_message(
    world: World, catalogue: Catalogue
) -> None:
    client = client_for(world.analyst)
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("imports:upload"), {"kind": "orders", "source": "erp",
                                                       "file": upload})  # fmt: skip
    assert response.status_code == 400
    assert "Upload a CSV or spreadsheet file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_viewer_may_not_import(world: World, catalogue: Catalogue, tmp_path: Path) -> None:
    client = client_for(world.viewer)
    assert client.get(reverse("imports:list")).status_code == 403
    data = {"kind": "orders", "source": "erp", "file": order_upload(tmp_path)}
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 403
    assert not ImportRun.objects.exists()
    assert not OrderLine.objects.exists()


@pytest.mark.parametrize("persona", ["kam", "other_kam", "director"])
def test_who_does_not_see_every_account_imports_none_of_the_accounts_they_do_not_write(
    world: World, catalogue: Catalogue, tmp_path: Path, persona: str
) -> None:
    """KAMs and directors import their own ledger (test_kam_imports.py): the catalogue's
    accounts have no team, so every row of the file is rejected and nothing is stored."""
    client = client_for(getattr(world, persona))
    assert client.get(reverse("imports:list")).status_code == 200
    data = {"kind": "orders", "source": "erp", "file": order_upload(tmp_path)}
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.rows_read > 0
    assert run.rows_rejected == run.rows_read
    assert not OrderLine.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_history_lists_runs_paginated_and_filtered(
    world: World, catalogue: Catalogue, tmp_path: Path, settings: Any
) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [])
    for _ in range(3):
        import_run(kind="orders", path=path)
    import_run(kind="products", path=write_csv(tmp_path / "p.csv", ["物料编码", "物料名称"], []))
    client = client_for(world.executive)
    first = client.get(reverse("imports:list"))
    assert len(first.context["page"].object_list) == 2
    assert first.context["page"].paginator.count == 4
    only = client.get(reverse("imports:list"), {"kind": "products"})
    assert [r.kind for r in only.context["page"].object_list] == ["products"]


def test_the_history_page_has_a_fixed_number_of_queries(
    world: World, catalogue: Catalogue, tmp_path: Path, django_assert_num_queries: Any
) -> None:
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [])
    for _ in range(5):
        import_run(kind="orders", path=path, user=world.analyst)
    client = client_for(world.analyst)
    client.get(reverse("imports:list"))
    with django_assert_num_queries(4):  # session, user, count, page of runs with their users
        assert client.get(reverse("imports:list")).status_code == 200


def test_the_run_page_has_a_fixed_number_of_queries(
    world: World, catalogue: Catalogue, tmp_path: Path, django_assert_num_queries: Any
) -> None:
    rows = [order_row(f"SO-{i}", 1, "bad", "上海东方电梯有限公司", "M-100", "1", "9", "9")
            for i in range(30)]  # fmt: skip
    run = import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    client = client_for(world.analyst)
    with django_assert_num_queries(4):  # session, user, run with its user, waiting matches
        response = client.get(run.get_absolute_url())
    assert len(response.context["page"].object_list) == 25
