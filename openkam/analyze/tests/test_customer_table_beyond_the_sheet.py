"""A customer base larger than the workbook's customers sheet: the sheet keeps the customers of
largest CLV, every customer goes to customers.csv beside the workbook, the summary sheet and
the console say so. The limit is lowered here (--sheet-rows) in place of Excel's 1,048,575."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from openkam.analyze import table, workbook
from openkam.analyze.tests.helpers import CALIBRATION_END, analyze, analyze_json

SHOWN = 100


@pytest.fixture(scope="module")
def run(cdnow_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("beyond")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(table, "BLOCK_ROWS", 1000)  # the CSV in three blocks
        stdout, _stderr = analyze(
            str(cdnow_path), "--calibration-end", CALIBRATION_END, "--out", str(folder),
            "--sheet-rows", str(SHOWN), "--language", "en",
        )  # fmt: skip
    return folder, stdout


def test_the_customers_sheet_keeps_the_customers_of_largest_clv(
    run: tuple[Path, str], cdnow_path: Path
) -> None:
    folder, _stdout = run
    every = analyze_json(str(cdnow_path), "--calibration-end", CALIBRATION_END)["customers"]
    by_clv = sorted(every, key=lambda row: -(row["clv"] or -1e300))
    rows = list(openpyxl.load_workbook(folder / "analysis.xlsx")["Customers"].values)
    headings = list(rows[0])
    assert len(rows) == 1 + SHOWN
    ids = [row[headings.index("customer")] for row in rows[1:]]
    assert ids == [row["customer_id"] for row in by_clv[:SHOWN]]
    clv = [row[headings.index("customer lifetime value")] for row in rows[1:]]
    assert clv == sorted(clv, reverse=True)


def test_the_json_file_holds_the_sheets_customers_and_names_the_csv(
    run: tuple[Path, str], cdnow_path: Path
) -> None:
    folder, _stdout = run
    document = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    assert document["customer_table"] == {
        "file": "customers.csv", "rows": 2357, "customers_here": SHOWN, "chosen_by": "clv",
    }  # fmt: skip
    rows = list(openpyxl.load_workbook(folder / "analysis.xlsx")["Customers"].values)
    sheet_ids = [row[list(rows[0]).index("customer")] for row in rows[1:]]
    assert [row["customer_id"] for row in document["customers"]] == sheet_ids
    # Each of them with every figure --json gives, and every summary figure as well.
    full = analyze_json(str(cdnow_path), "--calibration-end", CALIBRATION_END, "--language", "en")
    by_id = {row["customer_id"]: row for row in full["customers"]}
    assert document["customers"] == [by_id[code] for code in sheet_ids]
    assert "customer_table" not in full
    for model in ("bgnbd", "pareto_nbd", "gamma_gamma"):  # the fits' seconds differ
        del document["models"][model]["seconds"], full["models"][model]["seconds"]
    for key in full:
        if key not in ("customers", "input"):
            assert document[key] == full[key], key
    csv_lines = (folder / "customers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) - 1 == document["customer_table"]["rows"]


def test_every_customer_is_in_the_csv_beside_the_workbook(run: tuple[Path, str]) -> None:
    folder, _stdout = run
    raw = (folder / "customers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel opens it as UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2357
    sheet = openpyxl.load_workbook(folder / "analysis.xlsx")["Customers"]
    assert lines[0].split(",")[:3] == list(next(sheet.values))[:3]
    # In id order, ids as text, dates as YYYY-MM-DD, figures that are not finite blank.
    assert lines[1].startswith("00004,1997-01-01,1997-08-02,")
    assert "NaN" not in raw.decode("utf-8-sig")
    assert any(",," in line for line in lines[1:])


def test_the_summary_sheet_and_the_console_say_where_every_customer_is(
    run: tuple[Path, str],
) -> None:
    folder, stdout = run
    said = "The customers sheet holds the 100 customers of largest customer lifetime value; all "
    said += "2,357 customers are in customers.csv beside the workbook."
    summary = list(openpyxl.load_workbook(folder / "analysis.xlsx")["Summary"].values)
    assert summary[0][0] == "Customer table"
    assert summary[1][1] == said
    assert said in " ".join(stdout.split())
    assert str(folder / "customers.csv") in stdout.replace("\n", "")


def test_within_the_limit_there_is_no_csv_and_an_old_one_is_removed(
    cdnow_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "customers.csv").write_text("from an earlier run", encoding="utf-8")
    stdout, _stderr = analyze(str(cdnow_path), "--out", str(tmp_path), "--sheet-rows", "2357")
    assert not (tmp_path / "customers.csv").exists()
    assert "customers.csv" not in stdout
    rows = list(openpyxl.load_workbook(tmp_path / "analysis.xlsx", read_only=True)["客户"])
    assert len(rows) == 1 + 2357


def test_the_ranked_sheets_keep_their_first_customers(
    cdnow_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "RANKED_ROWS", 10)
    analyze(str(cdnow_path), "--out", str(tmp_path), "--language", "en")
    book = openpyxl.load_workbook(tmp_path / "analysis.xlsx")
    customers = list(book["Customers"].values)
    revenue = customers[0].index("revenue")
    largest = sorted((row[revenue] for row in customers[1:]), reverse=True)[:10]
    pareto = list(book["Pareto"].values)
    assert len(pareto) == 1 + 10
    assert [row[0] for row in pareto[1:]] == list(range(1, 11))  # revenue rank
    assert [row[pareto[0].index("revenue")] for row in pareto[1:]] == largest
    for name in ("Tiers", "Loyalty", "Churn risk"):
        assert book[name].max_row == 1 + 10
