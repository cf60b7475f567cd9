"""A file in, its header and a stream of (row number, cells) out, in bounded memory.

The reading itself is the ERP file edge (``openkam.common.erpfile``: encodings, delimiters,
headers, spreadsheets, the limits a file must keep); this module gives it the limits from the
settings and puts its errors in the user's language, for the importer and for `openkam analyze`.
Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
    up to ``size`` rows read at once (either, not both: they read the same stream)."""

    headers: list[str]
    rows: Iterator[Row]  # (row number, cells as text)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    read_blocks: Callable[[int], Iterator[Block]] | None = None

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


def open_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The file's header and rows; raises ReadError, now or while the rows are read."""
    try:
        if erpfile.is_spreadsheet(path):
            return _spreadsheet(path, sheet)
        return _csv(path, encoding)
    except ErpFileError as exc:
        raise read_error(exc) from None


def _csv(path: Path, encoding: str | None) -> Table:
    source = erpfile.open_csv(path, encoding=encoding, limits=erp_limits())
    header = source.first_record()
    if header is None:
        raise ErpFileError("empty")
    try:
        headers = erpfile.header_names(header)
    except ErpFileError:
        source.close()
        raise
    return Table(
        headers=headers,
        rows=_translated(source.records()),
        encoding=source.encoding,
        delimiter=source.delimiter,
        read_blocks=lambda size: _translated(source.blocks(size)),
    )


def _spreadsheet(path: Path, sheet: str | None) -> Table:
    source = erpfile.open_sheet(path, sheet=sheet, limits=erp_limits())
    records = source.records()
    header = next(records, None)
    if header is None:
        raise ErpFileError("empty_sheet")
    return Table(
        headers=erpfile.header_names(header[1]), rows=_translated(records), sheet=source.name
    )


def _translated(items: Iterator[T]) -> Iterator[T]:
    """The items, with the edge's errors raised as ReadError in the user's language."""
    try:
        yield from items
    except ErpFileError as exc:
        raise read_error(exc) from None
