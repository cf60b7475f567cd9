"""The import says which ERP export it recognised, on the command line and on the pages, and the
user overrides it: another preset, or none (--preset none: the columns by their names)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun, SourceMapping
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.imports.tests.test_erp_yonyou_exports import TITLE, U9_HEADER, U9_TOTALS, u9_rows
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"  # the pages' language
    with translation.override("en"):  # the command's and the services'
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def u9_file(tmp_path: Path) -> Path:
    return write_export(tmp_path / "U9.csv", U9_HEADER, u9_rows(), title=TITLE, totals=U9_TOTALS)


def test_the_command_prints_the_recognised_export_and_what_it_skipped(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    out = StringIO()
    call_command("import", "orders", str(u9_file(tmp_path)), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert "recognised as 用友 U9 销售订单" in lines
    assert "1 totals row skipped (row 8)" in lines
    assert "inserted: 3" in lines


def test_the_commands_json_names_the_preset(tmp_path: Path, catalogue: Catalogue) -> None:
    out = StringIO()
    call_command("import", "orders", str(u9_file(tmp_path)), "--json", stdout=out,
                 stderr=StringIO())  # fmt: skip
    result = json.loads(out.getvalue())
    assert result["preset"] == {"key": "yonyou_u9_sales_order", "name": "用友 U9 销售订单"}
    assert result["inserted"] == 3


def test_preset_none_reads_the_columns_by_their_names_and_says_what_is_missing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    with pytest.raises(CommandError, match="columns not found: order number, SKU"):
        call_command("import", "orders", str(u9_file(tmp_path)), "--preset", "none",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    run = ImportRun.objects.get()
    assert (run.status, run.preset) == (ImportRun.Status.FAILED, "")
    assert OrderLine.objects.count() == 0


def test_a_preset_of_another_kind_is_refused_by_name(tmp_path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(CommandError, match="unknown preset sap_customer for orders"):
        call_command("import", "orders", str(u9_file(tmp_path)), "--preset", "sap_customer",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert OrderLine.objects.count() == 0


def test_a_saved_mapping_still_wins_over_the_preset(tmp_path: Path, catalogue: Catalogue) -> None:
    # The source's saved mapping reads the status from 业务员, as the user said; the preset
    # reads the rest.
    SourceMapping.objects.create(source="U9", kind="orders", columns={"status": "业务员"})
    rows = u9_rows()
    for row in rows:
        row[4] = "已完成"
    path = write_export(tmp_path / "U9.csv", U9_HEADER, rows, title=TITLE, totals=U9_TOTALS)
    out = StringIO()
    call_command("import", "orders", str(path), "--source", "U9", stdout=out, stderr=StringIO())
    run = ImportRun.objects.get()
    assert run.mapping["status"] == "业务员"
    assert run.preset == "yonyou_u9_sales_order"
    assert OrderLine.objects.get(order__order_no="SO-1", line_no=10).amount == Decimal("100.00")


def test_the_upload_page_offers_the_exports_and_the_run_page_names_the_one_used(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.analyst)
    page = client.get(reverse("imports:list")).content.decode()
    assert '<option value="yonyou_u9_sales_order">用友 U9 销售订单</option>' in page
    upload = SimpleUploadedFile("U9.csv", u9_file(tmp_path).read_bytes(), content_type="text/csv")
    response = client.post(reverse("imports:upload"),
                           {"kind": "orders", "source": "U9", "file": upload})  # fmt: skip
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.preset == "yonyou_u9_sales_order"
    detail = client.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="run-preset">用友 U9 销售订单<' in detail
    assert "1 totals row skipped (row 8)" in detail


def test_the_upload_page_refuses_an_export_of_another_kind_and_saves_nothing(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    client = client_for(world.analyst)
    upload = SimpleUploadedFile("U9.csv", u9_file(tmp_path).read_bytes(), content_type="text/csv")
    response = client.post(
        reverse("imports:upload"),
        {"kind": "orders", "source": "U9", "file": upload, "preset": "yonyou_u8_customer"},
    )
    assert response.status_code == 400
    assert "用友 U8 客户档案 is an export of Accounts" in response.content.decode()
    assert ImportRun.objects.count() == 0
    assert OrderLine.objects.count() == 0
