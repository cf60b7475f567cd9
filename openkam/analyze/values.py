"""numpy columns and scalars as plain Python values for the outputs: non-finite numbers become
None, datetime64 days become dates (None for NaT), tuples become lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np


def column_values(values: np.ndarray) -> list[Any]:
    """One customer column as Python values, converted in bulk (never one numpy call per row)."""
    kind = values.dtype.kind
    if kind == "f":
        cells = values.astype(object)
        cells[~np.isfinite(values)] = None
        return list(cells.tolist())
    if kind in "iub":
        return list(values.tolist())
    if kind == "M":
        days = values.astype("datetime64[D]")
        cells = days.astype(object)  # datetime.date, None for NaT
        return list(cells.tolist())
    if kind in "US":
        return list(values.astype(str).tolist())
    return [plain(value) for value in values.tolist()]


def plain(value: Any) -> Any:
    """Any figure of a result (dataclasses, dicts, arrays, numpy scalars) as JSON-ready Python."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return [plain(item) for item in column_values(value)]
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
