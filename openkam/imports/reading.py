"""A file in, its header and a stream of (row number, cells) out, in bounded memory.

The reading itself is the ERP file edge (``openkam.common.erpfile``: encodings, delimiters,
headers, spreadsheets, the limits a file must keep); this module gives it the limits from the
settings and puts its errors in the user's language, for the importer and for `openkam analyze`.
Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from openkam.common import erpfile
from openkam.common.erpfile import ErpFileError, cell_text

__all__ = ["ReadError", "Table", "cell_text", "erp_limits", "file_sha256", "open_table"]


class ReadError(ValueError):
    """The file cannot be read as a table; the message says why, in the user's language."""


Block = tuple[int, list[list[str]]]  # the number of the first row, the rows' cells
Row = tuple[int, list[str]]
T = TypeVar("T")


@dataclass
class Table:
    """The header and the rows, as (row number, cells) one at a time or in ``blocks``, lists of
    up to ``size`` rows read at once (either, not both: they read the same stream).

    ``header_row`` is the header's row number in the file; ``skipped`` the filled rows above it
    (a report's title, its date range), as (row number, their text)."""

    headers: list[str]
    rows: Iterator[Row]  # (row number, cells as text)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    read_blocks: Callable[[int], Iterator[Block]] | None = None
    header_row: int = 1
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def blocks(self, size: int) -> Iterator[Block]:
        if self.read_blocks is not None:
            return self.read_blocks(size)
        return self._blocks_of_rows(size)

    def _blocks_of_rows(self, size: int) -> Iterator[Block]:
        while chunk := list(itertools.islice(self.rows, size)):
            numbers = [number for number, _cells in chunk]
            if numbers[-1] - numbers[0] == len(numbers) - 1:
                yield numbers[0], [cells for _number, cells in chunk]
            else:  # not consecutive: a block per run of consecutive rows
                for _key, run in itertools.groupby(
                    enumerate(chunk), lambda item: item[1][0] - item[0]
                ):
                    items = [pair for _at, pair in run]
                    yield items[0][0], [cells for _number, cells in items]


def erp_limits() -> erpfile.Limits:
    """The limits a file must keep, from the settings (IMPORT_MAX_*)."""
    return erpfile.Limits.from_settings(settings)


def read_error(error: ErpFileError) -> ReadError:
    """The edge's error as a ReadError in the user's language."""
    return ReadError(error.text(_))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Score = Callable[[Sequence[str]], int]  # how many columns a row of cells names


def open_table(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    header_score: Score | None = None,
) -> Table:
    """The file's header and rows; raises ReadError, now or while the rows are read.

    The header is the leading row that ``header_score`` finds naming the most columns (the
    rows above it, a title or a date range, are skipped and listed in ``Table.skipped``); the
    first filled row without a score or when no row names two columns."""
    try:
        if erpfile.is_spreadsheet(path):
            return _spreadsheet(path, sheet, header_score)
        return _csv(path, encoding, header_score)
    except ErpFileError as exc:
        raise read_error(exc) from None


@dataclass
class _Head:
    """The header found among the leading records, and the records read past it."""

    headers: list[str]
    header_row: int
    skipped: list[tuple[int, str]]
    rest: list[Row]


def _head(first: int, records: list[list[str]], score: Score | None, empty: str) -> _Head:
    at = erpfile.locate_header(records, score)
    if at is None:
        raise ErpFileError(empty)
    above = records[at - 1] if at else None
    headers = erpfile.header_names(erpfile.header_with_group(records[at], above))
    skipped = [
        (first + number, _row_text(cells))
        for number, cells in enumerate(records[:at])
        if any(cell.strip() for cell in cells)
    ]
    rest = [(first + at + 1 + number, cells) for number, cells in enumerate(records[at + 1 :])]
    return _Head(headers, first + at, skipped, rest)


def _row_text(cells: list[str]) -> str:
    text = " ".join(" ".join(cells).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _csv(path: Path, encoding: str | None, score: Score | None) -> Table:
    source = erpfile.open_csv(path, encoding=encoding, limits=erp_limits())
    try:
        block = next(source.blocks(erpfile.HEADER_SCAN_ROWS), None)
        if block is None:
            raise ErpFileError("empty")
        head = _head(block[0], block[1], score, "empty")
    except ErpFileError:
        source.close()
        raise
    rest = head.rest

    def blocks(size: int) -> Iterator[Block]:
        if rest:
            yield rest[0][0], [cells for _number, cells in rest]
        yield from _translated(source.blocks(size))

    return Table(
        headers=head.headers,
        rows=itertools.chain(rest, _translated(source.records())),
        encoding=source.encoding,
        delimiter=source.delimiter,
        read_blocks=blocks,
        header_row=head.header_row,
        skipped=head.skipped,
    )


def _spreadsheet(path: Path, sheet: str | None, score: Score | None) -> Table:
    source = erpfile.open_sheet(path, sheet=sheet, limits=erp_limits())
    records = source.records()
    leading = list(itertools.islice(records, erpfile.HEADER_SCAN_ROWS))
    if not leading:
        raise ErpFileError("empty_sheet")
    head = _head(leading[0][0], [cells for _number, cells in leading], score, "empty_sheet")
    return Table(
        headers=head.headers,
        rows=itertools.chain(head.rest, _translated(records)),
        sheet=source.name,
        header_row=head.header_row,
        skipped=head.skipped,
    )


def _translated(items: Iterator[T]) -> Iterator[T]:
    """The items, with the edge's errors raised as ReadError in the user's language."""
    try:
        yield from items
    except ErpFileError as exc:
        raise read_error(exc) from None
