"""The ERP file edge: a CSV or spreadsheet export in, its records as lists of text out.

The one place that decides a file's encoding (UTF-8, UTF-8 with a BOM, GB18030 / GBK, UTF-16 /
UTF-32), its delimiter, its header names and how a spreadsheet is opened; `openkam import`, the
upload page and `openkam analyze` all read through it. It imports nothing from Django: its
errors carry a code, an English template and parameters, and the caller translates the
template (``ErpFileError.text(gettext)``), so the messages are the same in every edge.

Files come from outside, so everything is bounded before it is read (``Limits``): the file's
size, a spreadsheet's unpacked size and the extent of its cells (checked with zipfile before
calamine allocates the sheet: one cell at XFD1048576 would make it allocate hundreds of GiB),
rows, columns, one cell's and one line's length.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import python_calamine

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
ZIPPED_SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods"})
XML_SHEETS = frozenset({".xlsx", ".xlsm"})
# Left free, charset-normalizer reads a GB18030 file whose only Chinese is the header as Korean:
# the candidates are the encodings Chinese and Western ERPs write.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "cp1252"]
# GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a character.
ENCODING_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030"}
SAMPLE_BYTES = 1 << 20
SNIFF_LINES = 50
DELIMITERS = (",", "\t", ";", "|")
MAX_PARAM_CHARS = 200  # a value quoted in a message (a 50 MB cell stays out of it)
MiB = 1 << 20


def gettext_noop(message: str) -> str:
    """Marks a template for the message catalogue (makemessages looks for this name); the
    caller translates it with its gettext (``ErpFileError.text``)."""
    return message


# code -> English template.
MESSAGES = {
    "no_such_file": gettext_noop("no such file"),
    "file_too_big": gettext_noop("the file is %(size)s MB, more than the %(limit)s MB allowed"),
    "empty": gettext_noop("the file is empty"),
    "unknown_encoding": gettext_noop("unknown encoding %(name)s"),
    "undetected_encoding": gettext_noop("cannot tell the file's encoding: give it (e.g. gb18030)"),
    "not_valid_encoding": gettext_noop("the file is not valid %(name)s: give its encoding"),
    "not_valid_encoding_after": gettext_noop(
        "the file is not valid %(name)s after row %(row)s: give its encoding"
    ),
    "binary": gettext_noop(
        "the file holds binary data (NUL bytes), not text in a known encoding: save it as CSV "
        "(UTF-8 or GB18030) or XLSX"
    ),
    "cell_too_long": gettext_noop("row %(row)s has a cell longer than %(limit)s characters"),
    "line_too_long": gettext_noop("line %(line)s of the file is longer than %(limit)s bytes"),
    "too_many_rows": gettext_noop("the file has more than %(limit)s rows"),
    "too_many_columns": gettext_noop(
        "row %(row)s has %(count)s columns, more than the %(limit)s allowed"
    ),
    "duplicate_header": gettext_noop(
        "the header names the column %(name)s twice (columns %(first)s and %(second)s): "
        "rename one of them"
    ),
    "not_a_table": gettext_noop("the file is not a regular table after row %(row)s: %(detail)s"),
    "spreadsheet_unreadable": gettext_noop("cannot open the spreadsheet: %(error)s"),
    "unpacked_too_big": gettext_noop(
        "the spreadsheet unpacks to more than %(limit)s MB (%(member)s): it is refused"
    ),
    "sheet_too_large": gettext_noop(
        "the sheet %(sheet)s spans %(rows)s rows and %(columns)s columns, more than allowed "
        "(%(max_rows)s rows, %(max_columns)s columns, %(max_cells)s cells)"
    ),
    "no_sheet": gettext_noop("no sheet %(name)s; the sheets are: %(sheets)s"),
    "empty_sheet": gettext_noop("the sheet is empty"),
}


class ErpFileError(ValueError):
    """The file cannot be read as a table: ``code`` says why, ``params`` fill its template."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = {name: _short(value) for name, value in params.items()}
        self.template = MESSAGES[code]
        super().__init__(self.template % self.params)

    def text(self, translate: Callable[[str], str]) -> str:
        """The message in the caller's language (``translate`` is its gettext)."""
        return translate(self.template) % self.params


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_PARAM_CHARS:
        return value[:MAX_PARAM_CHARS] + "…"
    return value


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused (settings IMPORT_MAX_*, see the README)."""

    max_file_bytes: int = 512 * MiB
    max_unpacked_bytes: int = 1024 * MiB
    max_rows: int = 5_000_000
    max_columns: int = 1_000
    max_cells: int = 50_000_000  # of a sheet's rectangle: calamine allocates every one
    max_cell_chars: int = 32_767  # Excel's own limit

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """The limits of the settings IMPORT_MAX_* (Django's, or any object that has them)."""
        return cls(
            max_file_bytes=settings.IMPORT_MAX_FILE_MB * MiB,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * MiB,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    @property
    def max_line_chars(self) -> int:
        """A physical line may be this long: any longer one breaks the column or the cell
        limit, so reading it in pieces of this size is always noticed (never silently split)."""
        return self.max_columns * (self.max_cell_chars + 3)


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


def check_file(path: Path, limits: Limits) -> None:
    """The file exists and is no bigger than allowed."""
    if not path.is_file():
        raise ErpFileError("no_such_file")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise ErpFileError(
            "file_too_big", size=_megabytes(size), limit=_megabytes(limits.max_file_bytes)
        )


def _megabytes(size: int) -> str:
    return f"{size / MiB:,.1f}".removesuffix(".0")


# --- headers -------------------------------------------------------------------------------


def header_names(cells: Sequence[str | None]) -> list[str]:
    """The header's names, stripped; a blank one is "column N". A name given twice is refused:
    which of the two columns holds the amount would be a guess."""
    names: list[str] = []
    first_at: dict[str, int] = {}
    for index, cell in enumerate(cells, 1):
        name = (cell or "").strip().lstrip("\ufeff").strip() or f"column {index}"
        if name in first_at:
            raise ErpFileError("duplicate_header", name=name, first=first_at[name], second=index)
        first_at[name] = index
        names.append(name)
    return names


HEADER_SCAN_ROWS = 30  # a title, a date range, filters and blank rows fit above the header
HEADER_LEAST_SCORE = 2  # cells a row must name to be taken for the header


def locate_header(
    records: Sequence[Sequence[str]],
    score: Callable[[Sequence[str]], int] | None,
    *,
    least: int = HEADER_LEAST_SCORE,
) -> int | None:
    """The position of the header among the leading records: the row whose cells ``score``
    best (the number of columns it names), at least ``least``, the first of equal ones; without
    a score or a row that scores, the first row with a cell filled (None: every row is blank)."""
    best, best_score = None, least - 1
    if score is not None:
        for at, cells in enumerate(records):
            found = score(cells)
            if found > best_score:
                best, best_score = at, found
    if best is None:
        best = next((at for at, cells in enumerate(records) if _filled(cells)), None)
    return best


def header_with_group(header: Sequence[str], above: Sequence[str] | None) -> list[str]:
    """A two-row header (a group caption above the column captions, or a caption merged over
    both rows, which a workbook keeps in the upper cell only): a blank caption is taken from the
    row above, when that row is a row of captions (two cells or more) rather than a title."""
    cells = list(header)
    if above is None or sum(map(_filled_cell, above)) < 2:
        return cells
    filled = [
        cell if cell.strip() or at >= len(above) else above[at] for at, cell in enumerate(cells)
    ]
    named = [name.strip() for name in filled if name.strip()]
    # A caption taken twice (a date range's "至" under two blanks) would only refuse the file.
    return filled if len(set(named)) == len(named) else cells


def _filled_cell(cell: str) -> bool:
    return bool(cell and cell.strip())


def _filled(cells: Sequence[str]) -> bool:
    return any(map(_filled_cell, cells))


# A totals row names its total in its first filled cell: 合计 / 小计 / 总计 (with a colon or a
# count after it), Total / Grand Total / Subtotal, SAP's Summe / Gesamtsumme / Ergebnis and the
# asterisks of its ALV list totals.
_TOTALS = re.compile(
    r"(?:本页|本期|总)?(?:[合总小累]\s*计|[合總小]計)[\s:：()（）\d行条笔共计]*"
    r"|(?:grand\s*|sub\s*)?totals?\s*:?|(?:zwischen|gesamt|end)?summen?\s*:?|gesamt|ergebnis"
    r"|\*{1,3}",
    re.IGNORECASE,
)
# What a first cell must contain to be a totals cell (a C-speed screen of a batch's first cells).
_TOTALS_TRACES = ("计", "計", "total", "summe", "gesamt", "ergebnis", "*")


def is_totals_row(cells: Sequence[str]) -> bool:
    """Whether the row is a totals row (合计, 小计, Total ...): its first filled cell says so."""
    for cell in cells:
        if cell and cell.strip():
            return _TOTALS.fullmatch(unicodedata.normalize("NFKC", cell).strip()) is not None
    return False


def totals_rows(records: Sequence[Sequence[str]]) -> list[int]:
    """The positions of the totals rows among the records; a batch whose first cells are all
    filled and show no trace of a total is answered without a Python step per row."""
    firsts = [cells[0] if cells else "" for cells in records]
    if "" not in firsts:
        joined = "\x00".join(firsts).casefold()
        if not any(trace in joined for trace in _TOTALS_TRACES):
            return []
    return [at for at, cells in enumerate(records) if is_totals_row(cells)]


def normalise_header(name: str) -> str:
    """Case, width, spaces, underscores and hyphens do not matter: "Customer_ID" = "customer id",
    when a header is looked for by name."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


# --- CSV -----------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file from its first bytes; utf_8_sig when it starts with a BOM."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if sample.count(0) > len(sample) // 100:  # a NUL in a cell is text; this many are not
        return _utf16_without_bom(sample)
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
        raise ErpFileError("undetected_encoding")
    return ENCODING_SUPERSETS.get(best.encoding, best.encoding)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)


def _utf16_without_bom(sample: bytes) -> str:
    """Text with NUL bytes is UTF-16 without its BOM (Windows tools write it so) when the NULs
    sit on one side of the byte pairs, as ASCII's high bytes do; anything else is binary."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2 or 1
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf_16_le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf_16_be"
    raise ErpFileError("binary")


def sniff_delimiter(lines: list[str]) -> str:
    """The candidate splitting the first lines into the most, equally wide, fields."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        while widths and widths[0] < 2:  # a title or a date range above the header
            widths.pop(0)
        if not widths:
            continue
        score = (sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


Block = tuple[int, list[list[str]]]  # the number of the first row, the rows' cells


class CsvFile:
    """An open CSV export: its encoding and delimiter, and its records read once, either one at
    a time (``records``) or in lists (``blocks``, read by the csv module without a Python step
    per row). Row numbers are the ones a spreadsheet would show: the first record is row 1."""

    def __init__(
        self, handle: IO[str], encoding: str, delimiter: str, limits: Limits, *, lines_checked: bool
    ) -> None:
        self.encoding = encoding
        self.delimiter = delimiter
        self.limits = limits
        self.handle = handle
        # Lines already known to be bounded are read by the file's own iterator (a fifth faster
        # than readline with a size); the others in pieces of at most max_line_chars.
        lines: Iterable[str] = (
            handle
            if lines_checked
            else iter(functools.partial(handle.readline, limits.max_line_chars), "")
        )
        self.reader = csv.reader(lines, delimiter=delimiter)
        self.next_row = 1

    def close(self) -> None:
        self.handle.close()

    def blocks(self, size: int) -> Iterator[Block]:
        """The records from the next one on, in lists of up to ``size``; the file is closed
        at the end or on an error (not when the reading stops half-way: ``close`` then)."""
        while True:
            try:
                records = self._read(size)
                if records:
                    self._check(self.next_row, records)
            except BaseException:
                self.close()
                raise
            if not records:
                self.close()
                return
            first = self.next_row
            self.next_row += len(records)
            yield first, records

    def records(self) -> Iterator[tuple[int, list[str]]]:
        for first, records in self.blocks(1):
            yield first, records[0]

    def first_record(self) -> list[str] | None:
        """The next record (the header, when nothing was read yet); None at the end."""
        block = next(self.blocks(1), None)
        return None if block is None else block[1][0]

    def _read(self, size: int) -> list[list[str]]:
        records: list[list[str]] = []
        try:
            records.extend(itertools.islice(self.reader, size))  # keeps what it read on error
        except UnicodeDecodeError:
            raise ErpFileError(
                "not_valid_encoding_after",
                name=self.encoding,
                row=self.next_row + len(records) - 1,
            ) from None
        except csv.Error as exc:
            raise self._csv_error(exc, self.next_row + len(records)) from None
        return records

    def _csv_error(self, exc: csv.Error, row: int) -> ErpFileError:
        detail = str(exc)
        if "field limit" in detail:
            return ErpFileError("cell_too_long", row=row, limit=self.limits.max_cell_chars)
        if "NUL" in detail:
            return ErpFileError("binary")
        return ErpFileError("not_a_table", row=row - 1, detail=detail)

    def _check(self, first: int, records: list[list[str]]) -> None:
        last = first + len(records) - 1
        if last > self.limits.max_rows:
            raise ErpFileError("too_many_rows", limit=self.limits.max_rows)
        if max(map(len, records)) > self.limits.max_columns:
            at = next(i for i, r in enumerate(records) if len(r) > self.limits.max_columns)
            raise ErpFileError(
                "too_many_columns",
                row=first + at,
                count=len(records[at]),
                limit=self.limits.max_columns,
            )


def open_csv(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: Limits,
) -> CsvFile:
    """Open a CSV export: the encoding detected unless given, the delimiter sniffed unless
    given. Its errors are ErpFileError, raised here or while reading its records."""
    check_file(path, limits)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ErpFileError("empty")
    chosen = _encoding_name(encoding or detect_encoding(sample), sample)
    text = path.open(encoding=chosen, newline="", errors="strict")
    try:
        head = _head_lines(sample, chosen, limits)
        sniffed = delimiter or sniff_delimiter(head)
    except BaseException:
        text.close()
        raise
    lines_checked = codecs.lookup(chosen).name in NEWLINE_IS_A_BYTE
    try:
        if lines_checked:
            check_line_lengths(path, limits.max_line_chars)
    except BaseException:
        text.close()
        raise
    csv.field_size_limit(limits.max_cell_chars)
    return CsvFile(text, encoding=chosen, delimiter=sniffed, limits=limits,
                   lines_checked=lines_checked)  # fmt: skip


# Encodings in which byte 0x0A is only ever a line feed (never part of another character).
NEWLINE_IS_A_BYTE = frozenset(
    {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
     "cp1252", "iso8859-1", "ascii"}
)  # fmt: skip


def check_line_lengths(path: Path, limit: int) -> None:
    """Refuse a file with a physical line longer than ``limit`` bytes (chunks bigger than the
    limit aside), reading it in MiB chunks in C: one huge line would otherwise be held whole."""
    run = lines = 0  # bytes since the last line feed; line feeds seen
    with path.open("rb") as handle:
        while chunk := handle.read(MiB):
            first = chunk.find(b"\n")
            if first == -1:
                run += len(chunk)
            elif run + first > limit:
                run += first
            else:
                lines += chunk.count(b"\n")
                run = len(chunk) - chunk.rfind(b"\n") - 1
            if run > limit:
                raise ErpFileError("line_too_long", line=lines + 1, limit=limit)


def _encoding_name(name: str, sample: bytes) -> str:
    """A known codec's name; UTF-8 drops a BOM, given or not."""
    if name.replace("-", "_").lower() in {"utf_8", "utf8"} and sample.startswith(codecs.BOM_UTF8):
        name = "utf_8_sig"
    try:
        codecs.lookup(name)
    except LookupError:
        raise ErpFileError("unknown_encoding", name=name) from None
    return name


def _head_lines(sample: bytes, encoding: str, limits: Limits) -> list[str]:
    """The first lines of the sample, to sniff the delimiter on; a sample that is not valid in
    the encoding at all is refused at once."""
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            raise ErpFileError("not_valid_encoding", name=encoding) from None
        text = sample.decode(encoding, errors="ignore")
    return text[: limits.max_line_chars].splitlines()[:SNIFF_LINES]


# --- spreadsheets --------------------------------------------------------------------------


class SheetFile:
    """An open sheet: its name and its rows as text, row 1 first (empty rows kept)."""

    def __init__(self, name: str, rows: Iterator[list[Any]], limits: Limits) -> None:
        self.name = name
        self.rows = rows
        self.limits = limits

    def records(self) -> Iterator[tuple[int, list[str]]]:
        longest = self.limits.max_cell_chars
        for number, row in enumerate(self.rows, 1):
            cells = [cell_text(value) for value in row]
            if cells and max(map(len, cells)) > longest:
                raise ErpFileError("cell_too_long", row=number, limit=longest)
            yield number, cells


def open_sheet(path: Path, *, sheet: str | None = None, limits: Limits) -> SheetFile:
    """Open a sheet of a workbook (the first unless named), after checking what it would cost
    to read; calamine reads it whole, so the checks come first."""
    check_file(path, limits)
    suffix = path.suffix.lower()
    if suffix in ZIPPED_SPREADSHEETS:
        check_zipped_workbook(path, limits, xml_sheets=suffix in XML_SHEETS)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        name = sheet or (names[0] if names else None)
        if name is None or name not in names:
            raise ErpFileError("no_sheet", name=name, sheets=", ".join(names))
        data = workbook.get_sheet_by_name(name)
    except (ErpFileError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's errors per format, and its panics
        raise ErpFileError("spreadsheet_unreadable", error=str(exc) or type(exc).__name__) from None
    _check_extent(name, data.height, data.width, limits)  # the formats not checked beforehand
    return SheetFile(name, iter(data.iter_rows()), limits)


def check_zipped_workbook(path: Path, limits: Limits, *, xml_sheets: bool) -> None:
    """Refuse a workbook that unpacks too big (a zip bomb) or whose sheets span too many cells,
    reading each member through zipfile, whose CRC check catches a member lying about its size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            if total > limits.max_unpacked_bytes:
                biggest = max(members, key=lambda member: member.file_size)
                _refuse_unpacked(biggest.filename, limits)
            for member in members:
                if xml_sheets and _is_worksheet(member.filename):
                    _check_sheet_extent(archive, member, limits)
                else:
                    _read_through(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, ErpFileError):
            raise
        raise ErpFileError("spreadsheet_unreadable", error=str(exc) or type(exc).__name__) from None


def _refuse_unpacked(member: str, limits: Limits) -> None:
    raise ErpFileError(
        "unpacked_too_big", limit=_megabytes(limits.max_unpacked_bytes), member=member
    )


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _read_through(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as stream:
        while stream.read(MiB):
            pass


CHUNK_BYTES = 8 * MiB
_OVERLAP = 64  # longer than any cell or row reference, so none is missed between two chunks
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]{0,200}?\sr=\"(\d{1,9})\"")
_CELL_ROW = re.compile(rb"\sr=\"[A-Z]{1,4}(\d{1,9})\"")
_CELL_COLUMN = {width: re.compile(rb"\sr=\"([A-Z]{%d})\d" % width) for width in (1, 2, 3, 4)}


def _check_sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """The sheet's declared <dimension> and the furthest row and column any cell names must fit
    the limits. Scanned with regular expressions a chunk at a time: no Python step per cell."""
    rows = columns = 0
    declared = False
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            data = tail + chunk
            if not declared and (found := _DIMENSION.search(data)):
                declared = True
                _check_extent(member.filename, _row(found[4] or found[2]),
                              _column_number(found[3] or found[1]), limits)  # fmt: skip
            rows = max(rows, _largest_row(data))
            columns = max(columns, _largest_column(data))
            _check_extent(member.filename, rows, columns, limits)
            tail = data[-_OVERLAP:]


def _row(digits: bytes | None) -> int:
    return int(digits) if digits else 0


def _largest_row(data: bytes) -> int:
    numbers = _ROW_NUMBER.findall(data) + _CELL_ROW.findall(data)
    return max(map(int, numbers), default=0)


def _largest_column(data: bytes) -> int:
    """Among references of the same width, text order is column order: the widest ones first."""
    for width in (4, 3, 2, 1):
        letters = _CELL_COLUMN[width].findall(data)
        if letters:
            return _column_number(max(letters))
    return 0


def _column_number(letters: bytes | None) -> int:
    number = 0
    for letter in letters or b"":
        number = number * 26 + letter - 64
    return number


def _check_extent(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        _refuse_extent(sheet, rows, columns, limits)


def _refuse_extent(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    raise ErpFileError(
        "sheet_too_large",
        sheet=sheet,
        rows=rows,
        columns=columns,
        max_rows=limits.max_rows,
        max_columns=limits.max_columns,
        max_cells=limits.max_cells,
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
