"""The workbook, the HTML report and the printed summary of a run with a holdout."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from openkam.analyze import pipeline, reading
from openkam.analyze.report import render, write_report
from openkam.analyze.tests.helpers import CALIBRATION_END, analyze

# In the reader's language (zh-hans, the command's default).
SHEETS = [
    "概览",
    "客户",
    "模型",
    "帕累托",
    "客户分级",
    "忠诚度",
    "流失风险",
    "留出期检验",
    "被拒绝的行",
]
CHART_IDS = {"pareto", "p_alive", "churn", "holdout_by_frequency", "tracking"}


@pytest.fixture(scope="module")
def out_dir(cdnow_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analysis")
    stdout, _stderr = analyze(
        str(cdnow_path), "--calibration-end", CALIBRATION_END, "--out", str(folder)
    )
    (folder / "stdout.txt").write_text(stdout, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cdnow_analysis(cdnow_path: Path) -> tuple[reading.Transactions, pipeline.AnalysisResult]:
    data = reading.read_transactions(cdnow_path)
    options = pipeline.AnalysisOptions(calibration_end=reading.parse_date_text(CALIBRATION_END))
    return data, pipeline.run_analysis(data.frame, options)


def test_the_workbook_has_one_sheet_per_analysis(out_dir: Path) -> None:
    book = openpyxl.load_workbook(out_dir / "analysis.xlsx", read_only=True)
    assert book.sheetnames == SHEETS
    customers = list(book["客户"].iter_rows(values_only=True))
    assert len(customers) == 1 + 2357
    assert customers[1][0] == "00004"  # ids stay text
    models = list(book["模型"].iter_rows(values_only=True))
    assert len(models) == 1 + 4 + 4 + 3
    assert round(models[1][2], 3) == 0.243


def test_the_workbook_headings_follow_the_language(out_dir: Path) -> None:
    book = openpyxl.load_workbook(out_dir / "analysis.xlsx", read_only=True)
    headings = next(book["客户"].iter_rows(values_only=True))
    assert "活跃概率" in headings  # zh-hans is the default; the catalogue's "probability alive"


def test_the_report_is_written_with_its_charts_data(out_dir: Path) -> None:
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match is not None
    specs = json.loads(match.group(1))
    assert {spec["id"] for spec in specs} == CHART_IDS
    pareto = next(spec for spec in specs if spec["id"] == "pareto")
    assert pareto["series"][0]["values"][-1] == pytest.approx(1.0)
    tracking = next(spec for spec in specs if spec["id"] == "tracking")
    assert tracking["calibration_end"] == CALIBRATION_END


def test_the_report_references_nothing_outside_itself(out_dir: Path) -> None:
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", html, re.I)
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"<(img|iframe)[^>]*\ssrc=[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", html, re.I)


def test_the_json_file_beside_the_report_holds_every_figure(out_dir: Path) -> None:
    document = json.loads((out_dir / "analysis.json").read_text(encoding="utf-8"))
    assert len(document["customers"]) == 2357


def test_the_summary_is_printed_with_the_model_parameters(out_dir: Path) -> None:
    stdout = (out_dir / "stdout.txt").read_text(encoding="utf-8")
    assert "r = 0.243 (± 0.013)" in stdout
    assert "-9,582.43" in stdout
    assert "1,882" in stdout
    assert str(out_dir / "report.html") in stdout.replace("\n", "")


def test_without_echarts_the_charts_are_inline_svg(
    cdnow_analysis: tuple[reading.Transactions, pipeline.AnalysisResult], tmp_path: Path
) -> None:
    data, result = cdnow_analysis
    path = tmp_path / "report.html"
    with translation.override("en"):
        write_report(path, data, result, echarts=tmp_path / "no-such-file.js")
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") == len(CHART_IDS)
    assert "echarts.init" not in html
    assert "Cumulative repeat purchases, actual and expected" in html


def test_with_echarts_its_script_is_inlined(
    cdnow_analysis: tuple[reading.Transactions, pipeline.AnalysisResult],
) -> None:
    data, result = cdnow_analysis
    with translation.override("en"):
        html = render(data, result, echarts_script="/* vendored echarts */")
    assert "<script>/* vendored echarts */</script>" in html
    assert "<svg" not in html
    assert 'id="chart-tracking"' in html


def test_the_report_is_in_chinese_by_default(out_dir: Path) -> None:
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-hans">' in html
    assert "cdnow_sample.csv 客户分析" in html
    assert "帕累托曲线" in html
    assert "活跃概率" in html
