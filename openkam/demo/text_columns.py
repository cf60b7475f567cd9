"""Vectorised string columns (document numbers, references) without a Python loop per row."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def digits(numbers: NDArray[np.int64], width: int) -> NDArray[np.str_]:
    """Zero-padded decimal text of each number (numbers must fit in `width` digits)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    if numbers.size == 0:
        return np.zeros(0, dtype=f"<U{width}")
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    ascii_digits = ((numbers[:, None] // powers[None, :]) % 10 + 48).astype(np.uint8)
    return ascii_digits.view(f"S{width}").ravel().astype(f"<U{width}")


def numbered(prefix: str, numbers: NDArray[np.int64], width: int) -> NDArray[np.str_]:
    """prefix + zero-padded number, e.g. numbered("SO", [7], 4) -> ["SO0007"]."""
    return np.strings.add(prefix, digits(numbers, width))


def yymmdd(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """A date as the integer yymmdd, the way Chinese ERPs stamp document numbers."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return (year % 100) * 10_000 + month * 100 + day
