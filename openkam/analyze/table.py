"""The full customer table as a CSV file beside the workbook, for customer bases larger than a
sheet (Excel holds 1,048,576 rows): UTF-8 with a BOM so that Excel opens it as such, the
workbook's headings and cells (codes worded, dates as YYYY-MM-DD, non-finite numbers blank),
written a block of rows at a time."""

from __future__ import annotations

import codecs
from pathlib import Path

import polars as pl

from openkam.analyze import labels
from openkam.analyze.results import AnalysisResult

BLOCK_ROWS = 100_000  # lowered by the tests


def customer_frame(
    result: AnalysisResult, keys: list[str], rows: slice = slice(None)
) -> pl.DataFrame:
    """The customer columns ``keys`` under their headings, as the workbook shows them (non-finite
    numbers are still there: ``write_customers`` blanks them a block at a time); ``rows`` of
    them only when given."""
    columns: list[pl.Series] = []
    for key in keys:
        values = result.customers[key][rows]
        heading = labels.column(key)
        kind = values.dtype.kind
        if kind == "M":
            columns.append(pl.Series(heading, values.astype("datetime64[D]")))
        elif kind in "fiub":
            columns.append(pl.Series(heading, values))
        else:
            columns.append(pl.Series(heading, labels.cell_texts(key, values), pl.String))
    return pl.DataFrame(columns)


def write_customers(path: Path, result: AnalysisResult, keys: list[str]) -> None:
    """The table a block of rows at a time, each block's frame made only when it is written."""
    n = len(result.customers[keys[0]])
    with path.open("wb") as out:
        out.write(codecs.BOM_UTF8)
        for start in range(0, max(n, 1), BLOCK_ROWS):
            block = customer_frame(result, keys, slice(start, start + BLOCK_ROWS))
            finite = [
                pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name)
                for name, dtype in block.schema.items()
                if dtype == pl.Float64
            ]
            block = block.with_columns(finite)
            block.write_csv(out, include_header=start == 0, date_format="%Y-%m-%d")
