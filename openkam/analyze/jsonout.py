"""Every figure of an analysis as one JSON document; non-finite numbers are null.

``--json`` on stdout holds every customer. ``analysis.json`` beside a workbook whose customers
sheet holds only the customers of largest CLV holds those same customers, in that order, and
names the file with every customer (``customer_table``: customers.csv and its row count):
repeating 200,000 rows that customers.csv already holds cost a fifth of the run."""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

import numpy as np
import polars as pl

from openkam.analyze import labels
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult, ModelReport
from openkam.analyze.values import column_values, plain


def document(
    data: Transactions, result: AnalysisResult, *, customers: bool = True
) -> dict[str, Any]:
    """Every figure as Python values; the customer rows last (left out with customers=False:
    ``write`` streams them)."""
    content = {
        "input": input_section(data),
        "settings": settings_section(result),
        "period": {
            "first_date": result.first_date,
            "last_date": result.last_date,
            "as_of": result.as_of,
        },
        "counts": result.counts,
        "models": models_section(result),
        "concentration": result.concentration,
        "abc": result.abc_counts,
        "pareto_curves": {
            name: {"customer_share": share, "value_share": value}
            for name, (share, value) in result.pareto_curves.items()
        },
        "p_alive_histogram": {
            "edges": result.p_alive_histogram[0],
            "counts": result.p_alive_histogram[1],
        },
        "tiers": result.tiers,
        "loyalty": result.loyalty,
        "churn": result.churn,
        "holdout": result.holdout,
        "notes": [
            {"code": note.code, "params": note.params, "text": labels.note(note)}
            for note in result.notes
        ],
        "rejected": rejected_rows(data),
    }
    if customers:
        content["customers"] = customer_rows(result.customers)
    return content


def dumps(data: Transactions, result: AnalysisResult) -> str:
    """The document as JSON text (``write`` into a string)."""
    out = io.StringIO()
    write(out, data, result)
    return out.getvalue()


def write(
    out: TextIO,
    data: Transactions,
    result: AnalysisResult,
    *,
    positions: np.ndarray | None = None,
    table: str | None = None,
) -> None:
    """The document as JSON text, written a block of customers at a time: the customer rows
    are encoded by polars (as Python's json would write them: the same keys in the same order,
    numbers that read back to the same doubles, dates as YYYY-MM-DD, non-finite numbers null),
    so memory stays flat in the number of customers.

    With ``positions`` (and ``table``, the name of the file holding every customer), the
    customers at those positions only, in that order, and ``customer_table`` saying where the
    others are."""
    content = document(data, result, customers=False)
    columns = result.customers
    if positions is not None:
        assert table is not None, "a partial customer list names the full table"
        content["customer_table"] = {
            "file": table,
            "rows": len(columns["customer_id"]),
            "customers_here": len(positions),
            "chosen_by": "clv",
        }
        columns = {key: values[positions] for key, values in columns.items()}
    head = json.dumps(plain(content), ensure_ascii=False, allow_nan=False)
    out.write(head[:-1] + ', "customers": [')
    frame = customer_frame(columns)
    finite = [
        pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.Float64
    ]
    for start in range(0, frame.height, CUSTOMER_BLOCK):
        if start:
            out.write(", ")
        out.write(frame.slice(start, CUSTOMER_BLOCK).with_columns(finite).write_json()[1:-1])
    out.write("]}")


CUSTOMER_BLOCK = 10_000


def input_section(data: Transactions) -> dict[str, Any]:
    source = data.source
    return {
        "file": str(source.path),
        "format": source.file_format,
        "encoding": source.encoding,
        "delimiter": source.delimiter,
        "sheet": source.sheet,
        "header_row": source.header_row,
        "columns": source.columns,
        "other_matching_columns": source.alternatives,
        "rows_read": data.rows_read,
        "rows_used": data.rows_used,
        "rows_rejected": data.rows_rejected,
        "blank_rows": data.blank_rows,
    }


def settings_section(result: AnalysisResult) -> dict[str, Any]:
    options = result.options
    return {
        "time_unit": options.time_unit,
        "calibration_end": result.as_of,
        "observation_end": result.holdout.end if result.holdout else None,
        "holdout_length": result.holdout.length if result.holdout else None,
        "annual_discount_rate": options.annual_discount_rate,
        "horizon_months": options.horizon_months,
        "margin_source": result.margin_source,
        "overall_margin": result.overall_margin,
        "key_threshold": options.key_threshold,
        "major_threshold": options.major_threshold,
        "key_requires_leader": options.key_requires_leader,
        "purchase_model_requested": options.purchase_model,
        "abc_a_cutoff": options.abc_a_cutoff,
        "abc_b_cutoff": options.abc_b_cutoff,
        "top_fraction": options.top_fraction,
    }


def models_section(result: AnalysisResult) -> dict[str, Any]:
    section: dict[str, Any] = {name: model_entry(report) for name, report in result.models.items()}
    section["primary"] = result.primary_model
    return section


def model_entry(report: ModelReport) -> dict[str, Any]:
    failed = report.error is not None
    return {
        "params": None if failed else report.params,
        "standard_errors": None if failed else report.standard_errors,
        "log_likelihood": report.log_likelihood,
        "n_customers": report.n_customers,
        "n_iter": report.n_iter,
        "seconds": report.seconds,
        "error": report.error,
    }


def rejected_rows(data: Transactions) -> list[dict[str, Any]]:
    rows = data.rejected.to_dicts()
    for row in rows:
        row["message"] = labels.rejection_reason(str(row["reason"]))
    return rows


def customer_rows(columns: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    keys = list(columns)
    lists = [column_values(values) for values in columns.values()]
    return [dict(zip(keys, row, strict=True)) for row in zip(*lists, strict=True)]


def customer_frame(columns: dict[str, np.ndarray]) -> pl.DataFrame:
    """The customer columns as a polars frame whose JSON rows are ``customer_rows`` once its
    non-finite numbers are null."""
    series = []
    for key, values in columns.items():
        kind = values.dtype.kind
        if kind == "f":
            series.append(pl.Series(key, values))  # non-finite numbers: null in ``write``
        elif kind in "iubM":
            series.append(pl.Series(key, values.astype("datetime64[D]") if kind == "M" else values))
        elif kind in "US":
            series.append(pl.Series(key, values.astype(str), pl.String))
        elif len(values) and isinstance(values[0], tuple | list):
            series.append(_code_lists(key, values))
        else:
            series.append(pl.Series(key, [plain(cell) for cell in values]))
    return pl.DataFrame(series)


def _code_lists(key: str, values: np.ndarray) -> pl.Series:
    """Tuples of codes (churn reasons) as a List(String) column: polars builds a list column from
    Python lists at microseconds a row, so each distinct tuple is built once and gathered."""
    distinct: dict[tuple[str, ...], int] = {}
    index = [distinct.setdefault(tuple(cell), len(distinct)) for cell in values.tolist()]
    lists = pl.Series(key, [list(cell) for cell in distinct], pl.List(pl.String))
    return lists.gather(pl.Series(index, dtype=pl.UInt32))
