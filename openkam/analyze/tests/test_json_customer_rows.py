"""The JSON document's customer rows, encoded by polars a block at a time, are the rows Python's
json module writes from the same figures: same keys in the same order, the same doubles, dates
as YYYY-MM-DD, non-finite numbers null, churn reasons as lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openkam.analyze import jsonout, pipeline, reading
from openkam.analyze.tests.helpers import CALIBRATION_END
from openkam.analyze.values import plain


def test_the_streamed_rows_are_those_json_writes_row_by_row(
    cdnow_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonout, "CUSTOMER_BLOCK", 1000)  # three blocks, the last one short
    data = reading.read_transactions(cdnow_path)
    options = pipeline.AnalysisOptions(calibration_end=reading.parse_date_text(CALIBRATION_END))
    result = pipeline.run_analysis(data.frame, options)
    streamed = json.loads(jsonout.dumps(data, result))
    expected = json.loads(json.dumps(plain(jsonout.customer_rows(result.customers))))
    assert streamed["customers"] == expected
    assert [list(row) for row in streamed["customers"]] == [list(row) for row in expected]
    assert len(expected) == 2357
    assert any(row["gap_cv"] is None for row in expected)
    assert any(row["churn_reasons"] for row in expected)
    assert expected[0]["first_purchase"] == "1997-01-01"
    assert list(streamed)[-1] == "customers"
    assert streamed["counts"]["customers"] == 2357
