"""The upload page's column reference (every kind: label, needed or not, Chinese and English
captions, format, example) and its template downloads (CSV and XLSX, Chinese and English
captions the import recognises); a mapping written with field labels; the run page's columns
read by label, its encoding as "UTF-8" / "GB18030", the columns it did not read, the warning
of lines at 100 % margin; a failed run's page that says it failed and why."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from openkam.conftest import World, client_for
from openkam.imports.kinds import KINDS
from openkam.imports.models import ImportRun
from openkam.imports.reference import kind_reference, template_headers
from openkam.imports.services import ImportFailed, import_run
from openkam.imports.tests.helpers import Catalogue, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _zh(client: Any) -> Any:
    client.cookies["django_language"] = "zh-hans"
    return client


def test_the_upload_page_lists_the_columns_of_the_kind_in_chinese(world: World) -> None:
    client = _zh(client_for(world.analyst))
    page = client.get(reverse("imports:list")).content.decode()
    assert 'data-testid="column-reference"' in page
    assert "文件的列说明" in page
    transactions = client.get(reverse("imports:columns"), {"kind": "transactions"})
    body = transactions.content.decode()
    assert transactions.status_code == 200
    assert "交易流水（客户、日期、金额）" in body
    for text in ("必填", "任填其一", "选填", "交易日期", "transaction date", "2024-03-05",
                 "customer id", "产品编码"):  # fmt: skip
        assert text in body, text
    assert reverse("imports:template", args=["transactions", "zh", "xlsx"]) in body
    assert "customer_code" not in body.replace('data-field="customer_code"', "")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_reference_whose_template_it_recognises(
    kind: str, tmp_path: Path, catalogue: Catalogue
) -> None:
    with translation.override("zh-hans"):
        refs = kind_reference(kind)
    assert refs
    assert all(ref.label and ref.need and (ref.captions_zh or ref.captions_en) for ref in refs)
    required = [ref.field for ref in refs if ref.required]
    assert [ref.field for ref in refs[: len(required)]] == required  # the needed ones first
    for language in ("zh", "en"):
        headers = template_headers(kind, language)
        path = write_csv(tmp_path / f"{kind}-{language}.csv", headers, [])
        run = import_run(kind=kind, path=path)  # an empty file: its columns are all recognised
        assert run.status == ImportRun.Status.DONE, (language, run.message)
        assert set(run.mapping) == {ref.field for ref in refs}, language
        assert not any("not read" in note for note in run.notes)


def test_the_templates_download_as_csv_and_xlsx(world: World) -> None:
    client = client_for(world.executive)
    csv_file = client.get(reverse("imports:template", args=["transactions", "zh", "csv"]))
    assert csv_file.status_code == 200
    text = b"".join(csv_file.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert text.splitlines() == [",".join(template_headers("transactions", "zh"))]
    assert text.splitlines()[0].startswith("日期,金额,客户编码")
    xlsx = client.get(reverse("imports:template", args=["orders", "en", "xlsx"]))
    assert xlsx.status_code == 200
    content = b"".join(xlsx.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == template_headers("orders", "en")
    assert client.get(reverse("imports:template", args=["nothing", "zh", "csv"])).status_code == 404
    assert client.get(reverse("imports:template", args=["orders", "fr", "csv"])).status_code == 404
    assert client.get(reverse("imports:template", args=["orders", "zh", "pdf"])).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("kam", 200), ("director", 200)])
def test_who_may_not_import_gets_no_reference_nor_template(
    world: World, persona: str, status: int
) -> None:
    """Viewers may not; KAMs and directors import their own ledger (test_kam_imports.py)."""
    client = client_for(getattr(world, persona))
    assert client.get(reverse("imports:columns"), {"kind": "orders"}).status_code == status
    url = reverse("imports:template", args=["orders", "zh", "csv"])
    assert client.get(url).status_code == status


@pytest.mark.usefixtures("english")
def test_a_mapping_names_fields_by_their_labels_and_an_unknown_one_is_named(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "t.csv", ["cust", "day", "value", "n"],
                     [["C-1", "2024-03-05", "10", "2"]])  # fmt: skip
    run = import_run(kind="transactions", path=path,
                     mapping={"customer code": "cust", "日期": "day", "amount": "value",
                              "quantity": "n"})  # fmt: skip
    assert run.status == ImportRun.Status.DONE, run.message
    assert OrderLine.objects.get().quantity == 2
    with pytest.raises(ImportFailed) as failed:
        import_run(kind="transactions", path=path, mapping={"colour": "n"})
    assert "unknown fields colour; the fields are: customer code, customer name" in str(
        failed.value
    )
    client = client_for(world.analyst)
    upload = SimpleUploadedFile("t.csv", path.read_bytes(), content_type="text/csv")
    data = {"kind": "transactions", "source": "erp", "file": upload, "mapping": "colour=n"}
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 400
    assert "Unknown fields: colour. The fields are: customer code, " in response.content.decode()


def test_the_run_page_names_columns_by_label_encoding_unread_columns_and_the_margin_warning(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "t.csv", ["客户编码", "日期", "金额", "颜色"],
                     [["C-1", "2024-03-05", "10", "红"]], encoding="gb18030")  # fmt: skip
    with translation.override("zh-hans"):
        run = import_run(kind="transactions", path=path)
    page = _zh(client_for(world.analyst)).get(run.get_absolute_url()).content.decode()
    assert "GB18030" in page
    assert "gb18030" not in page
    assert "1 列未读取：颜色" in page
    assert "1 条订单行（¥10）没有产品成本，毛利率将按 100% 计算" in page
    assert 'data-testid="run-warnings"' in page
    assert "customer_code" not in page
    assert '<td class="text-secondary small">客户编码</td><td>客户编码</td>' in page


@pytest.mark.usefixtures("english")
def test_a_failed_run_says_it_failed_and_why_never_that_every_row_was_stored(
    world: World, tmp_path: Path
) -> None:
    client = client_for(world.analyst)
    path = write_csv(tmp_path / "t.csv", ["客户编码", "日期"], [["C-1", "2024-03-05"]])
    upload = SimpleUploadedFile("t.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"kind": "transactions", "source": "erp",
                                                       "file": upload}, follow=True)  # fmt: skip
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    page = response.content.decode()
    assert "This import failed" in page
    assert "columns not found: amount" in page
    assert "No row of the file was stored" in page
    assert "Every row of the file was read and stored" not in page
    assert "every row is stored" not in page
    assert "No rows checked" in page
    zh = _zh(client).get(run.get_absolute_url()).content.decode()
    assert "本次导入失败" in zh
    assert "未检查任何行" in zh
