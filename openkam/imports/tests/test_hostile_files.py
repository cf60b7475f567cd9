"""Hostile files cannot kill the importer (issue 17): a 5 KB XLSX spanning XFD1048576, a zip
bomb, a 50 MB cell, a BOM-less UTF-16 file, binary data, an unknown --encoding, a header naming
a column twice, a file over the size limit: `openkam import` stops with one line, the run is
failed (never left running); a worker whose import process dies carries on; a run left running
by a dead worker is failed after IMPORT_STALLED_MINUTES."""

from __future__ import annotations

import datetime as dt
import os
import signal
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.imports import tasks
from openkam.imports.models import ImportRun
from openkam.imports.tasks import import_enqueue, import_file, import_runs_fail_stalled
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import OrderLine

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls workbook saved as .csv
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROW = order_row("SO-1", 1, "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "9", "9")


def _cli_failure(*args: str) -> tuple[str, ImportRun]:
    """The one line `openkam import` stops with, and the run it recorded."""
    with pytest.raises(CommandError) as caught:
        call_command("import", "orders", *args, stdout=open(os.devnull, "w"),  # noqa: SIM115
                     stderr=open(os.devnull, "w"))  # noqa: SIM115  # fmt: skip
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) <= 500
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.finished_at is not None
    assert not OrderLine.objects.exists()
    return message, run


def _xlsx_spanning_the_whole_sheet(path: Path) -> Path:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{header}</t></is></c>'
        for i, header in enumerate(ORDER_HEADERS[:5])
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_a_5_kb_xlsx_spanning_xfd1048576_fails_with_one_line(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = _xlsx_spanning_the_whole_sheet(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 5_000
    message, run = _cli_failure(str(path))
    assert message.startswith("the sheet xl/worksheets/sheet1.xml spans 1048576 rows and 16384")
    assert run.message == message


def test_a_zip_bomb_fails_with_one_line(
    tmp_path: Path, catalogue: Catalogue, settings: Any
) -> None:
    settings.IMPORT_MAX_UNPACKED_MB = 8
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (32 << 20) + b"</sst>")
    assert path.stat().st_size < 1 << 20
    message, _run = _cli_failure(str(path))
    assert message == (
        "the spreadsheet unpacks to more than 8 MB (xl/sharedStrings.xml): it is refused"
    )


def test_a_50_mb_field_fails_with_one_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [ROW])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('SO-2,1,2024-03-05,"' + "x" * (50 << 20) + '"\n')
    message, _run = _cli_failure(str(path))
    assert message == "line 3 of the file is longer than 32770000 bytes"


def test_a_bom_less_utf16_file_is_read(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [ROW], encoding="utf-16-le")
    call_command("import", "orders", str(path), stdout=open(os.devnull, "w"),  # noqa: SIM115
                 stderr=open(os.devnull, "w"))  # noqa: SIM115  # fmt: skip
    run = ImportRun.objects.get()
    assert (run.status, run.encoding, run.rows_inserted) == ("done", "utf_16_le", 1)


def test_binary_data_fails_with_one_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "o.csv"
    path.write_bytes(OLE_HEADER + bytes(8192))
    message, _run = _cli_failure(str(path))
    assert message.startswith("the file holds binary data (NUL bytes)")


def test_an_unknown_encoding_fails_with_one_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [ROW])
    message, _run = _cli_failure(str(path), "--encoding", "klingon")
    assert message == "unknown encoding klingon"


def test_a_header_naming_a_column_twice_fails_with_the_reason(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_csv(tmp_path / "o.csv", [*ORDER_HEADERS, ORDER_HEADERS[0]], [[*ROW, "SO-1"]])
    message, _run = _cli_failure(str(path))
    assert message == (
        f"the header names the column {ORDER_HEADERS[0]} twice (columns 1 and "
        f"{len(ORDER_HEADERS) + 1}): rename one of them"
    )


def test_a_file_over_the_size_limit_fails_before_it_is_read(
    tmp_path: Path, catalogue: Catalogue, settings: Any
) -> None:
    settings.IMPORT_MAX_FILE_MB = 1
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [ROW] * 20_000)
    message, _run = _cli_failure(str(path))
    assert message.endswith("MB, more than the 1 MB allowed")


def test_a_message_naming_thousands_of_headers_is_one_short_line(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    headers = [f"column name number {i}" for i in range(900)]
    message, run = _cli_failure(str(write_csv(tmp_path / "o.csv", headers, [["x"] * 900])))
    assert message.startswith("columns not found: ")
    assert len(run.message) <= 2000


def test_an_upload_over_the_size_limit_is_refused_before_it_is_queued(
    world: World, settings: Any
) -> None:
    settings.IMPORT_MAX_FILE_MB = 1
    upload = SimpleUploadedFile("o.csv", b"a,b\n" + b"1,2\n" * (1 << 18), content_type="text/csv")
    response = client_for(world.analyst).post(
        reverse("imports:upload"), {"kind": "orders", "source": "erp", "file": upload}
    )
    assert response.status_code == 400
    assert "The file is larger than 1 MB, the most an import accepts." in response.content.decode()
    assert not ImportRun.objects.exists()


# --- the worker --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_import_process_that_dies_fails_its_run_and_the_worker_carries_on(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = write_csv(tmp_path / "o.csv", ["订单号"], [])
    run = import_enqueue(kind="orders", path=path, user=None, source="erp", file_name="o.csv")
    monkeypatch.setattr(tasks, "child_process_possible", lambda: True)
    # What the kernel's out-of-memory killer does to a process that allocates without bound.
    monkeypatch.setattr(
        tasks, "_child_import", lambda run_id, **options: os.kill(os.getpid(), signal.SIGKILL)
    )
    assert import_file.call(run.pk, language="en") == ImportRun.Status.FAILED
    run.refresh_from_db()
    assert run.message.startswith("the import stopped abnormally (exit code -9)")
    assert run.finished_at is not None


def test_a_run_left_running_without_progress_is_failed_after_the_timeout(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_STALLED_MINUTES = 30
    now = timezone.now()
    stalled = ImportRun.objects.create(kind="orders", file_name="a.csv",
                                       progress_at=now - dt.timedelta(minutes=31))  # fmt: skip
    cli_stalled = ImportRun.objects.create(kind="orders", file_name="b.csv")
    ImportRun.objects.filter(pk=cli_stalled.pk).update(started_at=now - dt.timedelta(hours=2))
    moving = ImportRun.objects.create(kind="orders", file_name="c.csv",
                                      progress_at=now - dt.timedelta(minutes=5))  # fmt: skip
    assert import_runs_fail_stalled(now=now) == 2
    statuses = dict(ImportRun.objects.values_list("file_name", "status"))
    assert statuses == {"a.csv": "failed", "b.csv": "failed", "c.csv": "running"}
    stalled.refresh_from_db()
    assert stalled.message.startswith("the import stopped without finishing")
    assert moving.pk


def test_a_new_upload_fails_the_runs_a_dead_worker_left_running(
    tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = ImportRun.objects.create(kind="orders", file_name="a.csv",
                                   progress_at=timezone.now() - dt.timedelta(days=1))  # fmt: skip
    path = write_csv(tmp_path / "o.csv", ["订单号"], [])
    import_enqueue(kind="orders", path=path, user=None, source="erp", file_name="o.csv")
    old.refresh_from_db()
    assert old.status == ImportRun.Status.FAILED
