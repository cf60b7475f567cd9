"""`openkam import KIND FILE --json` prints the counts as JSON on stdout; exit code 0 when the
import ran (even with rejections), non-zero when it could not run or --atomic refused."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openkam.imports.models import ImportRun
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, *, bad: bool) -> Path:
    rows = [order_row("SO-1", 1, "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "9", "9")]
    if bad:
        rows.append(order_row("SO-2", 1, "never", "上海东方电梯有限公司", "M-100", "1", "9", "9"))
    return write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows, encoding="gb18030")


def test_json_output_holds_the_counts_and_the_rejected_file(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    out, err = StringIO(), StringIO()
    call_command("import", "orders", str(_file(tmp_path, bad=True)), "--json", "--source", "SAP",
                 stdout=out, stderr=err)  # fmt: skip
    result = json.loads(out.getvalue())
    assert {k: result[k] for k in ("read", "inserted", "updated", "unchanged", "rejected")} == {
        "read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert Path(result["rejected_file"]).is_file()
    assert ImportRun.objects.get().source == "SAP"


def test_without_rejections_there_is_no_rejected_file(tmp_path: Path, catalogue: Catalogue) -> None:
    out = StringIO()
    call_command("import", "orders", str(_file(tmp_path, bad=False)), "--json", stdout=out)
    assert "rejected_file" not in json.loads(out.getvalue())


def test_atomic_refusal_exits_non_zero_and_stores_nothing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    with pytest.raises(CommandError):
        call_command("import", "orders", str(_file(tmp_path, bad=True)), "--atomic", "--json",
                     stdout=StringIO())  # fmt: skip
    assert not OrderLine.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.REFUSED


def test_an_unreadable_file_exits_non_zero(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "x.csv", ["foo", "bar"], [["1", "2"]])
    with pytest.raises(CommandError):
        call_command("import", "orders", str(path), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import", "orders", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_mappings_on_the_command_line(tmp_path: Path, catalogue: Catalogue) -> None:
    headers = ["单据", "日期", "单位", "存货", "数量", "单价"]
    row = ["SO-1", "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "9"]
    path = write_csv(tmp_path / "o.csv", headers, [row])
    out = StringIO()
    call_command("import", "orders", str(path), "--map", "order_no=单据", "--map",
                 "customer_name=单位", "--map", "sku=存货", "--json", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["inserted"] == 1
