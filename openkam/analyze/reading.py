"""Read an ERP transactions export into typed transactions and the rows that had to be rejected.

The file is read through the ERP file edge (``openkam.common.erpfile``: encodings, delimiters,
headers, spreadsheets and the limits a file must keep), as the importer reads it. Every cell is
read as text first, then parsed column by column with polars expressions.

Row numbers are the ones a spreadsheet shows: the header is row h, the first data row h + 1. A
row that cannot be parsed is rejected with its number, the column, the value and a reason code
(``REASONS``); fully blank rows are counted apart. So rows read = rows used + rows rejected.

This module does not import Django: its errors (``ReadError`` here, ``ErpFileError`` from the
edge) carry an English template and its parameters, which the command translates.
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from openkam.common import erpfile
from openkam.common.erpfile import gettext_noop, normalise_header

ROLES = ("customer", "date", "amount", "cost", "quantity")
REQUIRED_ROLES = ("customer", "date", "amount")

# Recognised headers per role, compared after ``normalise_header``; when several are present the
# earlier one wins (a customer code before a name; the amount net of VAT before the gross one).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "customer": (
        "客户编码", "客户编号", "客户id", "customer_id", "客户", "客户名称", "customer",
        "customer name", "client", "account",
    ),
    "date": (
        "日期", "下单日期", "订单日期", "交易日期", "开票日期", "date", "order date",
        "transaction date",
    ),
    "amount": (
        "不含税金额", "金额", "销售额", "销售金额", "含税金额", "价税合计", "amount", "sales",
        "revenue", "value",
    ),
    "cost": ("成本", "销售成本", "cost", "cogs"),
    "quantity": ("数量", "件数", "qty", "quantity", "units", "cds"),
}  # fmt: skip

HEADER_SEARCH_ROWS = 20
BLOCK_ROWS = 10_000

MISSING = "missing"
UNRECOGNISED_DATE = "unrecognised_date"
INVALID_DATE = "invalid_date"
NOT_A_NUMBER = "not_a_number"
NOT_FINITE = "not_finite"
REASONS = (MISSING, UNRECOGNISED_DATE, INVALID_DATE, NOT_A_NUMBER, NOT_FINITE)

FULL_WIDTH = [chr(0xFF10 + i) for i in range(10)] + list("．，－／（）＋：　￥＄")
HALF_WIDTH = [str(i) for i in range(10)] + list(".,-/()+: ¥$")
# YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, optionally followed by a time.
DATE_PATTERN = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$"
COMPACT_DATE_PATTERN = r"^(\d{4})(\d{2})(\d{2})$"
EXCEL_SERIAL_PATTERN = r"^\d{1,7}(?:\.\d+)?$"
EXCEL_SERIAL_OF_1970_01_01 = 25569
EXCEL_SERIAL_MAX = 2958465  # 9999-12-31
CURRENCY_PATTERN = r"(?i)rmb|cny|usd|[¥$元\s]"
# Commas only as thousands separators: "12,34" is rejected rather than guessed.
NUMBER_PATTERN = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$"


class ReadError(ValueError):
    """The file cannot be read as a transactions table: an English template (marked for the
    catalogue) and its parameters, which the command translates (``text``)."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)

    def text(self, translate: Callable[[str], str]) -> str:
        return translate(self.template) % self.params


class MissingColumnsError(ReadError):
    """Required columns were not found among the headers."""

    def __init__(self, missing: dict[str, tuple[str, ...]], headers: Sequence[str]) -> None:
        self.missing = missing  # role -> headers looked for (or the one the user named)
        self.headers = list(headers)
        looked = "; ".join(f"{role}: {', '.join(names)}" for role, names in missing.items())
        super().__init__(
            gettext_noop(
                "columns not found: %(roles)s (looked for %(looked)s); the file's headers are: "
                "%(headers)s"
            ),
            roles=", ".join(missing),
            looked=looked,
            headers=", ".join(self.headers) or "-",
        )


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role -> header named by the user
    limits: erpfile.Limits = field(default_factory=erpfile.Limits)


@dataclass(frozen=True)
class RawTable:
    """The cells as text (one String column per header) and where they came from."""

    frame: pl.DataFrame
    header_row: int  # row number of the header, 1-based as a spreadsheet shows it
    file_format: str  # "csv" or "spreadsheet"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    @property
    def headers(self) -> list[str]:
        return self.frame.columns


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str]  # role -> header in the file
    alternatives: dict[str, list[str]]  # role -> other matching headers, left unused


@dataclass(frozen=True)
class Source:
    path: Path
    file_format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    alternatives: dict[str, list[str]]


@dataclass(frozen=True)
class Transactions:
    """Parsed rows (row, customer, date, amount and cost / quantity when mapped) and the rest.

    ``rejected`` has one line per (row, column) that failed: row, column, value, reason.
    """

    frame: pl.DataFrame
    rejected: pl.DataFrame
    source: Source
    rows_read: int  # non-blank data rows
    blank_rows: int
    used: int | None = None  # the rows used, once ``without_rows`` has let the frame go

    @property
    def rows_used(self) -> int:
        return self.frame.height if self.used is None else self.used

    def without_rows(self) -> Transactions:
        """These transactions with an empty frame (the same columns) and the same counts: what
        the outputs need once the analysis has the rows (it frees them after its first step)."""
        return replace(self, frame=self.frame.clear(), used=self.rows_used)

    @property
    def rows_rejected(self) -> int:
        return int(self.rejected["row"].n_unique()) if self.rejected.height else 0

    @property
    def has_cost(self) -> bool:
        return "cost" in self.frame.columns

    @property
    def has_quantity(self) -> bool:
        return "quantity" in self.frame.columns


def read_transactions(path: Path, options: ReadOptions | None = None) -> Transactions:
    """Read, map and parse one export; raises ReadError when that is impossible."""
    options = options or ReadOptions()
    raw = read_table(path, options)
    mapping = map_columns(raw.headers, options.columns)
    source = Source(
        path=path,
        file_format=raw.file_format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        columns=mapping.columns,
        alternatives=mapping.alternatives,
    )
    return parse_transactions(raw, mapping, source)


# --- the table of text cells -------------------------------------------------------------------


def read_table(path: Path, options: ReadOptions) -> RawTable:
    """The cells as text from the header on, read through the ERP file edge (which raises
    ErpFileError); the header is the first of the leading records naming the required columns.
    Records are turned into columns a block at a time: memory holds the text cells in polars,
    never the whole file as Python lists."""
    if erpfile.is_spreadsheet(path):
        sheet = erpfile.open_sheet(path, sheet=options.sheet, limits=options.limits)
        records = (cells for _number, cells in sheet.records())
        blocks = iter(lambda: list(itertools.islice(records, BLOCK_ROWS)), [])
        return _raw_table(blocks, options, file_format="spreadsheet", sheet=sheet.name)
    source = erpfile.open_csv(
        path, encoding=options.encoding, delimiter=options.delimiter, limits=options.limits
    )
    plain = _plain_csv_table(path, source, options)
    if plain is not None:
        source.close()
        return plain
    blocks = (block for _first, block in source.blocks(BLOCK_ROWS))
    return _raw_table(
        blocks, options, file_format="csv", encoding=source.encoding, delimiter=source.delimiter
    )


def _raw_table(
    blocks: Iterator[list[list[str]]], options: ReadOptions, *, file_format: str, **where: str
) -> RawTable:
    head: list[list[str]] = []
    for block in blocks:
        head.extend(block)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not any(cell.strip() for record in head[:HEADER_SEARCH_ROWS] for cell in record):
        raise erpfile.ErpFileError("empty" if file_format == "csv" else "empty_sheet")
    header_index = find_header_row(head[:HEADER_SEARCH_ROWS], options.columns)
    headers = erpfile.header_names(head[header_index])
    row = header_index + 2  # the spreadsheet row number of the first data record
    frames = [_text_frame(headers, head[header_index + 1 :], row)]
    row += frames[0].height
    del head
    for block in blocks:
        frames.append(_text_frame(headers, block, row))
        row += len(block)
    frame = pl.concat(frames, rechunk=True)
    if frame.height == 0:
        raise ReadError(gettext_noop("the file has a header but no data rows"))
    return RawTable(
        frame=frame,
        header_row=header_index + 1,
        file_format=file_format,
        encoding=where.get("encoding"),
        delimiter=where.get("delimiter"),
        sheet=where.get("sheet"),
    )


# --- plain CSV files, read by polars ------------------------------------------------------------

PLAIN_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii"})
SCAN_BYTES = 1 << 22


def _plain_csv_table(path: Path, source: erpfile.CsvFile, options: ReadOptions) -> RawTable | None:
    """The table read by polars' CSV reader (some 20 times faster than the csv module's records
    turned into columns) when the file is one whose records both readers split alike: UTF-8,
    no quote character, no carriage return but before a line feed, no blank line, no NUL, the
    header on the first line and no record longer than it. None for any other file: the csv
    module reads it, and raises its errors (a long record, a cell or a file over the limits)."""
    encoding = codecs.lookup(source.encoding).name
    delimiter = source.delimiter.encode("utf-8")
    if encoding not in PLAIN_ENCODINGS or len(delimiter) != 1 or delimiter in b'"\r\n':
        return None
    if not _plain_bytes(path, with_bom=encoding == "utf-8-sig"):
        return None
    try:
        frame = pl.read_csv(
            path, has_header=False, separator=delimiter.decode(), quote_char=None,
            infer_schema=False, empty_string_is_null=False, encoding="utf8", raise_if_empty=True,
        )  # fmt: skip
    except (pl.exceptions.PolarsError, OSError):
        return None
    limits = options.limits
    if frame.height > limits.max_rows or frame.width > limits.max_columns:
        return None
    longest = frame.select(pl.all().str.len_chars().max()).row(0) if frame.height else ()
    if any(length is not None and length > limits.max_cell_chars for length in longest):
        return None
    head = [[cell or "" for cell in record] for record in frame.head(HEADER_SEARCH_ROWS).rows()]
    if not any(cell.strip() for record in head for cell in record):
        return None
    if find_header_row(head, options.columns) != 0 or frame.height < 2:
        return None
    frame = frame.slice(1).rechunk()
    frame.columns = erpfile.header_names(head[0])
    return RawTable(frame=frame, header_row=1, file_format="csv",
                    encoding=source.encoding, delimiter=source.delimiter)  # fmt: skip


def _plain_bytes(path: Path, *, with_bom: bool) -> bool:
    """No quote, NUL, lone carriage return or blank line in the file, and a BOM only when the
    encoding says so; read in chunks of SCAN_BYTES."""
    tail = b"\n"  # the last bytes before the chunk: the file starts as after a line feed
    carry = b""  # a carriage return ending the previous chunk
    with path.open("rb") as handle:
        chunk = handle.read(SCAN_BYTES)
        if chunk.startswith(codecs.BOM_UTF8) != with_bom:
            return False
        chunk = chunk[len(codecs.BOM_UTF8) :] if with_bom else chunk
        while chunk:
            if b'"' in chunk or b"\0" in chunk:
                return False
            joined = tail + chunk
            if b"\n\n" in joined or b"\n\r\n" in joined:
                return False
            text = carry + chunk
            text, carry = (text[:-1], b"\r") if text.endswith(b"\r") else (text, b"")
            if text.count(b"\r") != text.count(b"\r\n"):
                return False
            tail = joined[-2:]
            chunk = handle.read(SCAN_BYTES)
    return not carry


def _text_frame(headers: list[str], records: list[list[str]], first_row: int) -> pl.DataFrame:
    """Records (the first one at spreadsheet row ``first_row``) as one String column per
    header; short records are padded with nulls, a long one is an error."""
    width = len(headers)
    lengths = set(map(len, records))
    if lengths and max(lengths) > width:
        at = next(i for i, record in enumerate(records) if len(record) > width)
        raise ReadError(
            gettext_noop("row %(row)s has %(count)s fields, the header %(width)s"),
            row=first_row + at,
            count=len(records[at]),
            width=width,
        )
    rows: Sequence[Sequence[str | None]] = records
    if lengths - {width}:
        padding: list[str | None] = [None] * width
        rows = [[*r, *padding[len(r) :]] for r in records]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in headers]
    return pl.DataFrame(
        [
            pl.Series(header, cells, pl.String)
            for header, cells in zip(headers, columns, strict=True)
        ]
    )


# --- column mapping ----------------------------------------------------------------------------


def find_header_row(records: Sequence[Sequence[str | None]], overrides: dict[str, str]) -> int:
    """The first of the leading records holding every required column (title rows above the
    header are common in ERP exports); the first record when none does."""
    for index, record in enumerate(records):
        headers = [cell or "" for cell in record]
        if _match_roles(headers, overrides).keys() >= set(REQUIRED_ROLES):
            return index
    return 0


def map_columns(headers: Sequence[str], overrides: dict[str, str]) -> ColumnMapping:
    """Role -> header, from the user's names first, then the recognised headers."""
    for role in overrides:
        if role not in ROLES:
            raise ReadError(
                gettext_noop("unknown column role %(role)s; the roles are %(roles)s"),
                role=role,
                roles=", ".join(ROLES),
            )
    matches = _match_roles(headers, overrides)
    missing = {
        role: (overrides[role],) if role in overrides else HEADER_ALIASES[role]
        for role in REQUIRED_ROLES
        if role not in matches
    }
    for role in set(overrides) - set(REQUIRED_ROLES) - set(matches):
        missing[role] = (overrides[role],)
    if missing:
        raise MissingColumnsError(missing, headers)
    columns = {role: found[0] for role, found in matches.items()}
    if len(set(columns.values())) < len(columns):
        raise ReadError(
            gettext_noop("one column is mapped to two roles: %(columns)s"), columns=columns
        )
    alternatives = {role: found[1:] for role, found in matches.items() if len(found) > 1}
    return ColumnMapping(columns=columns, alternatives=alternatives)


def _match_roles(headers: Sequence[str], overrides: dict[str, str]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for header in headers:
        by_name.setdefault(normalise_header(header), []).append(header)
    matches: dict[str, list[str]] = {}
    for role in ROLES:
        if role in overrides:
            found = by_name.get(normalise_header(overrides[role]), [])
        else:
            found = [
                h
                for alias in HEADER_ALIASES[role]
                for h in by_name.get(normalise_header(alias), [])
            ]
        if found:
            matches[role] = found
    return matches


# --- parsing -----------------------------------------------------------------------------------


def parse_transactions(raw: RawTable, mapping: ColumnMapping, source: Source) -> Transactions:
    frame = raw.frame.select(_blank_as_null(pl.col(name)).alias(name) for name in raw.headers)
    frame = frame.with_row_index("row", offset=raw.header_row + 1).with_columns(
        pl.col("row").cast(pl.Int64)
    )
    blank = pl.all_horizontal(pl.exclude("row").is_null())
    blank_rows = int(frame.select(blank.sum()).item())
    if blank_rows:  # (filtering copies every column, even when it keeps every row)
        frame = frame.filter(~blank)
    excel_serials = raw.file_format == "spreadsheet"
    parsed = frame.select("row")
    for role, header in mapping.columns.items():
        value, reason = parse_column(role, frame[header], excel_serials=excel_serials)
        parsed = parsed.with_columns(value.alias(role), reason.alias(f"{role}__reason"))
    reasons = [f"{role}__reason" for role in mapping.columns]
    rejected = _rejections(frame, parsed, mapping.columns)
    ok = parsed.filter(pl.all_horizontal(pl.col(reasons).is_null())).drop(reasons)
    return Transactions(
        frame=ok,
        rejected=rejected,
        source=source,
        rows_read=frame.height,
        blank_rows=blank_rows,
    )


def parse_column(
    role: str, cells: pl.Series, *, excel_serials: bool
) -> tuple[pl.Series, pl.Series]:
    """(values, reasons) of one column. Cells already in canonical form (2024-03-05, 1234.5) take
    a plain cast; only the others go through the full parser, whose regular expressions cost 30
    to 50 times more per cell."""
    if role == "customer":
        return cells, pl.select(_parsed(role, pl.lit(cells), excel_serials)[1]).to_series()
    fast = _canonical(role, cells)
    needs_parser = (fast.is_null() | ~_finite(fast)).arg_true()
    values, reasons = fast, pl.Series(cells.name, [None] * len(cells), pl.String)
    if len(needs_parser):
        subset = pl.DataFrame({"cell": cells.gather(needs_parser)})
        value, reason = _parsed(role, pl.col("cell"), excel_serials)
        slow = subset.select(value.alias("value"), reason.alias("reason"))
        values = fast.scatter(needs_parser, slow["value"])
        reasons = reasons.scatter(needs_parser, slow["reason"])
    return values, reasons


def _canonical(role: str, cells: pl.Series) -> pl.Series:
    if role == "date":
        return cells.str.to_date("%Y-%m-%d", strict=False)
    return cells.cast(pl.Float64, strict=False)


def _finite(values: pl.Series) -> pl.Series:
    return values.is_finite() if values.dtype == pl.Float64 else values.is_not_null()


def _blank_as_null(cell: pl.Expr) -> pl.Expr:
    return cell.str.strip_chars().replace("", None)  # half the CPU of when(len > 0).then(...)


def _parsed(role: str, cell: pl.Expr, excel_serials: bool) -> tuple[pl.Expr, pl.Expr]:
    """The full parser of a role: the value, and the reason it failed (null when it did not)."""
    if role == "customer":
        return cell, pl.when(cell.is_null()).then(pl.lit(MISSING))
    if role == "date":
        return parse_dates(cell, excel_serials=excel_serials)
    return parse_numbers(cell, required=role == "amount")


def half_width(cell: pl.Expr) -> pl.Expr:
    """Full-width digits and punctuation (０-９，．（）￥ ...) as their ASCII forms."""
    return cell.str.replace_many(FULL_WIDTH, HALF_WIDTH).str.strip_chars()


def parse_dates(cell: pl.Expr, *, excel_serials: bool) -> tuple[pl.Expr, pl.Expr]:
    """(date, reason): 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 (a time after the
    date is ignored), and in spreadsheets Excel serial day numbers."""
    text = half_width(cell)
    parts = text.str.extract_groups(DATE_PATTERN)
    compact = text.str.extract_groups(COMPACT_DATE_PATTERN)
    year = pl.coalesce(parts.struct.field("1"), compact.struct.field("1"))
    month = pl.coalesce(parts.struct.field("2"), compact.struct.field("2")).str.zfill(2)
    day = pl.coalesce(parts.struct.field("3"), compact.struct.field("3")).str.zfill(2)
    written = pl.format("{}-{}-{}", year, month, day).str.to_date("%Y-%m-%d", strict=False)
    recognised = year.is_not_null()
    value = written
    if excel_serials:
        serial = text.str.extract(f"({EXCEL_SERIAL_PATTERN})", 1).cast(pl.Float64, strict=False)
        in_range = (serial >= 1) & (serial <= EXCEL_SERIAL_MAX)
        from_serial = (serial.floor() - EXCEL_SERIAL_OF_1970_01_01).cast(pl.Int32).cast(pl.Date)
        serial_ok = in_range.fill_null(False) & ~recognised
        value = pl.when(serial_ok).then(from_serial).otherwise(written)
        recognised = recognised | serial_ok
    reason = (
        pl.when(cell.is_null())
        .then(pl.lit(MISSING))
        .when(~recognised)
        .then(pl.lit(UNRECOGNISED_DATE))
        .when(value.is_null())
        .then(pl.lit(INVALID_DATE))
    )
    return value, reason


def parse_numbers(cell: pl.Expr, *, required: bool) -> tuple[pl.Expr, pl.Expr]:
    """(number, reason): thousands separators, currency signs (¥ ￥ $ RMB CNY 元), full-width
    digits and accounting negatives (1,234.00) are understood. A blank cell is a reason only
    when the column is required."""
    text = half_width(cell).str.replace_all(CURRENCY_PATTERN, "")
    text = text.str.replace(r"^\((.*)\)$", "-${1}")
    well_formed = text.str.contains(NUMBER_PATTERN) & text.str.contains(r"\d")
    value = pl.when(well_formed).then(
        text.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    )
    reason = (
        pl.when(cell.is_null())
        .then(pl.lit(MISSING) if required else pl.lit(None))
        .when(~well_formed)
        .then(pl.lit(NOT_A_NUMBER))
        .when(~value.is_finite())
        .then(pl.lit(NOT_FINITE))
    )
    return value, reason


def _rejections(frame: pl.DataFrame, parsed: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    parts = [
        pl.DataFrame(
            {
                "row": parsed["row"],
                "column": header,
                "value": frame[header].fill_null(""),
                "reason": parsed[f"{role}__reason"],
            },
            schema={"row": pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String},
        ).filter(pl.col("reason").is_not_null())
        for role, header in columns.items()
    ]
    return pl.concat(parts).sort("row", maintain_order=True)


def parse_date_text(text: str) -> dt.date | None:
    """One date typed by a user (an option), in any form the files may use."""
    value, reason = parse_dates(pl.lit(text.strip() or None, dtype=pl.String), excel_serials=False)
    parsed, failed = pl.select(value, reason.alias("reason")).row(0)
    return parsed if failed is None and isinstance(parsed, dt.date) else None
