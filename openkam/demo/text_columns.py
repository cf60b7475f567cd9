"""Vectorised string columns (document numbers, references) without a Python loop per row."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def numbered(prefix: str, numbers: NDArray[np.int64], width: int) -> NDArray[np.str_]:
    """prefix + zero-padded number, e.g. numbered("SO", [7], 4) -> ["SO0007"]. The text is
    laid out as ASCII bytes in one matrix, then read as fixed-width strings."""
    numbers = np.asarray(numbers, dtype=np.int64)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    size = head.size + width
    if numbers.size == 0:
        return np.zeros(0, dtype=f"<U{size}")
    text = np.empty((numbers.size, size), dtype=np.uint8)
    text[:, : head.size] = head
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    text[:, head.size :] = (numbers[:, None] // powers[None, :]) % 10 + 48
    return text.view(f"S{size}").ravel().astype(f"<U{size}")


def digits(numbers: NDArray[np.int64], width: int) -> NDArray[np.str_]:
    """Zero-padded decimal text of each number (numbers must fit in `width` digits)."""
    return numbered("", numbers, width)


def yymmdd(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """A date as the integer yymmdd, the way Chinese ERPs stamp document numbers."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return (year % 100) * 10_000 + month * 100 + day
