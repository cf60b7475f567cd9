"""A file in, its header and a stream of (row number, cells) out, in bounded memory.

CSV in UTF-8, UTF-8 with a BOM, GB18030 / GBK (detected on a sample, overridable), separated by
commas, tabs, semicolons or pipes; spreadsheets (XLSX and what python-calamine reads), first
sheet or a named one. Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import charset_normalizer
import python_calamine
from django.utils.translation import gettext as _

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
# Left free, charset-normalizer reads a GB18030 file whose only Chinese is the header as Korean:
# the candidates are the encodings Chinese and Western ERPs write.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "cp1252"]
ENCODING_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030"}
SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", "\t", ";", "|")
csv.field_size_limit(1 << 24)


class ReadError(ValueError):
    """The file cannot be read as a table; the message says why."""


Block = tuple[int, list[list[str]]]  # the number of the first row, the rows' cells


@dataclass
class Table:
    """The header and the rows, as (row number, cells) one at a time or in ``blocks``, lists of
    up to ``size`` rows read at once (either, not both: they read the same stream)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number, cells as text)
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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    if not path.is_file():
        raise ReadError(_("no such file"))
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _spreadsheet(path, sheet)
    return _csv(path, encoding)


# --- CSV -----------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf_8_sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf_16"
    try:
        sample.decode("utf_8")
        return "utf_8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # the sample cut a character in two
            return "utf_8"
    # Not UTF-8: a Chinese ERP writes GB18030 (or its subsets GBK, GB2312). Its decoder refuses
    # most other text, and detectors guess wrong on files whose only Chinese is a few names.
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:
            return "gb18030"
    best = charset_normalizer.from_bytes(sample, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise ReadError(_("cannot tell the file's encoding: give it (e.g. gb18030)"))
    return ENCODING_SUPERSETS.get(best.encoding, best.encoding)


def sniff_delimiter(lines: list[str]) -> str:
    """The candidate splitting the first lines into the most, equally wide, fields."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        score = (sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv(path: Path, encoding: str | None) -> Table:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ReadError(_("the file is empty"))
    chosen = encoding or detect_encoding(sample)
    chosen = "utf_8_sig" if chosen.replace("-", "_").lower() in {"utf_8", "utf8"} else chosen
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ReadError(_("unknown encoding %(name)s") % {"name": chosen}) from None
    try:
        head = sample.decode(chosen, errors="ignore").splitlines()[:50]
    except UnicodeDecodeError:
        head = []
    delimiter = sniff_delimiter(head)
    text = path.open(encoding=chosen, newline="", errors="strict")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        text.close()
        raise ReadError(_("the file is empty")) from None
    except UnicodeDecodeError:
        text.close()
        raise ReadError(
            _("the file is not valid %(name)s: give its encoding") % {"name": chosen}
        ) from None
    return Table(
        headers=unique_headers(headers),
        rows=_csv_rows(text, reader, chosen),
        encoding=chosen,
        delimiter=delimiter,
        read_blocks=lambda size: _csv_blocks(text, reader, chosen, size),
    )


def _csv_rows(handle: IO[str], reader: Iterator[list[str]], encoding: str) -> Iterator[Row]:
    try:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise ReadError(
                    _("the file is not valid %(name)s after row %(row)s: give its encoding")
                    % {"name": encoding, "row": number}
                ) from None
            number += 1
            yield number, cells
    finally:
        handle.close()


def _csv_blocks(
    handle: IO[str], reader: Iterator[list[str]], encoding: str, size: int
) -> Iterator[Block]:
    """The rows in lists of ``size``, read by the csv module without a Python step per row."""
    first = 2
    try:
        while True:
            records: list[list[str]] = []
            try:
                records.extend(itertools.islice(reader, size))  # keeps what it read on error
            except UnicodeDecodeError:
                raise ReadError(
                    _("the file is not valid %(name)s after row %(row)s: give its encoding")
                    % {"name": encoding, "row": first + len(records) - 1}
                ) from None
            if not records:
                return
            yield first, records
            first += len(records)
    finally:
        handle.close()


Row = tuple[int, list[str]]


# --- spreadsheets --------------------------------------------------------------------------


def _spreadsheet(path: Path, sheet: str | None) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types per format
        raise ReadError(_("cannot open the spreadsheet: %(error)s") % {"error": exc}) from None
    names = list(workbook.sheet_names)
    name = sheet or (names[0] if names else None)
    if name is None or name not in names:
        raise ReadError(
            _("no sheet %(name)s; the sheets are: %(sheets)s")
            % {"name": name, "sheets": ", ".join(names)}
        )
    rows = iter(workbook.get_sheet_by_name(name).iter_rows())
    try:
        header = next(rows)
    except StopIteration:
        raise ReadError(_("the sheet is empty")) from None
    return Table(
        headers=unique_headers([cell_text(value) for value in header]),
        rows=((number, [cell_text(v) for v in row]) for number, row in enumerate(rows, 2)),
        sheet=name,
    )


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user would type: 4.0 -> "4", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def unique_headers(cells: list[str]) -> list[str]:
    seen: set[str] = set()
    headers = []
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").strip() or f"column {index + 1}"
        while name in seen:
            name = f"{name} ({index + 1})"
        seen.add(name)
        headers.append(name)
    return headers
