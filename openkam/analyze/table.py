"""The full customer table as a CSV file beside the workbook, for customer bases larger than a
sheet (Excel holds 1,048,576 rows): UTF-8 with a BOM so that Excel opens it as such, the
workbook's headings and cells (codes worded, dates as YYYY-MM-DD, non-finite numbers blank)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from openkam.analyze import labels
from openkam.analyze.results import AnalysisResult


def customer_frame(result: AnalysisResult, keys: list[str]) -> pl.DataFrame:
    """The customer columns ``keys`` under their headings, as the workbook shows them."""
    columns: dict[str, pl.Series] = {}
    for key in keys:
        values = result.customers[key]
        heading = labels.column(key)
        kind = values.dtype.kind
        if kind == "M":
            series = pl.Series(heading, values.astype("datetime64[D]"))
        elif kind == "f":
            series = pl.Series(heading, values).fill_nan(None)
        elif kind in "iub":
            series = pl.Series(heading, values)
        else:
            series = pl.Series(heading, labels.cell_texts(key, values), pl.String)
        columns[heading] = series
    return pl.DataFrame(columns)


def write_customers(path: Path, result: AnalysisResult, keys: list[str]) -> None:
    frame = customer_frame(result, keys)
    frame.write_csv(path, include_bom=True, date_format="%Y-%m-%d")
