"""Headers are recognised in Chinese and English; explicit mappings are used, saved per source
and reused; missing columns stop the import with a message naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportRun, SourceMapping
from openkam.imports.services import ImportFailed, import_run
from openkam.imports.tests.helpers import Catalogue, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db
ENGLISH = ["Order No", "Order Date", "Customer Name", "SKU", "Qty", "Unit Price"]
ROW = ["SO-1", "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "10"]


def test_english_headers_are_recognised(tmp_path: Path, catalogue: Catalogue) -> None:
    run = import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ENGLISH, [ROW]))
    assert run.rows_inserted == 1
    assert run.mapping["customer_name"] == "Customer Name"


def test_an_explicit_mapping_is_used_and_saved_for_the_source(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    headers = ["单据", "日期", "往来单位", "存货", "数量", "单价"]
    path = write_csv(tmp_path / "o.csv", headers, [ROW])
    mapping = {"order_no": "单据", "customer_name": "往来单位", "sku": "存货"}
    run = import_run(kind="orders", path=path, source="金蝶", mapping=mapping, save_mapping=True)
    assert run.rows_inserted == 1
    assert SourceMapping.objects.get(source="金蝶", kind="orders").columns == mapping
    OrderLine.objects.all().delete()
    again = import_run(kind="orders", path=path, source="金蝶")
    assert again.rows_inserted == 1


def test_missing_required_columns_stop_the_import_and_are_named(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_csv(tmp_path / "o.csv", ["Order No", "Customer Name"], [["SO-1", "x"]])
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        import_run(kind="orders", path=path)
    message = str(caught.value)
    for column in ("order date", "SKU", "quantity"):
        assert column in message
    run = ImportRun.objects.get()
    assert (run.status, run.message) == (ImportRun.Status.FAILED, message)


def test_a_mapping_to_a_column_the_file_lacks_is_refused(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_csv(tmp_path / "o.csv", ENGLISH, [ROW])
    with pytest.raises(ImportFailed):
        import_run(kind="orders", path=path, mapping={"sku": "物料"})
