"""Writes of the imports app: run an import, save a column mapping, decide an uncertain match,
merge two accounts and undo it (the merge machinery lives in merging.py)."""

from __future__ import annotations

import csv
import gc
import itertools
import operator
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openkam.common import erpfile
from openkam.common.exports import csv_raw_text
from openkam.imports import presets
from openkam.imports.kinds import KINDS
from openkam.imports.kinds.base import (
    OUTCOME,
    REJECTION,
    Batch,
    Column,
    Context,
    ImportKind,
    Row,
    reason_text,
)
from openkam.imports.matching import AccountResolver
from openkam.imports.merging import account_merge, account_merge_undo
from openkam.imports.models import AccountKey, AccountMatch, ImportRun, Kind, SourceMapping
from openkam.imports.parsing import MISSING, CellError, normalise_header
from openkam.imports.presets import Recognition
from openkam.imports.presets.base import Match
from openkam.imports.reading import ReadError, Score, Table, file_sha256, open_table
from openkam.imports.reference import field_named, fields_listed, joined
from openkam.imports.selectors import import_scope
from openkam.imports.writing import SeenKeys
from openkam.ledger.services import aggregates_rebuild
from openkam.team.models import User

__all__ = [
    "ImportFailed",
    "account_match_confirm",
    "account_match_reject",
    "account_merge",
    "account_merge_undo",
    "import_run",
    "source_mapping_save",
]

BATCH_ROWS = 5000
# Batches per transaction: fewer commits write each index page (and checkpoint the WAL) fewer
# times; 50,000 rows hold SQLite's write lock about a second.
BATCHES_PER_COMMIT = 10
# Seconds an import on SQLite pauses after each commit (every BATCHES_PER_COMMIT batches).
SQLITE_WRITERS_PAUSE = 0.02
SQLITE_CACHE_KIB = 16 * 1024  # bounds memory: 64 MiB was no faster at a million lines
Progress = Callable[[int, int], None]  # (rows done, rows expected)
MESSAGE_CHARS = 2000  # a run's message: a file's thousand headers are not all quoted


class ImportFailed(Exception):
    """The import could not run (unreadable file, missing columns); nothing was applied."""

    def __init__(self, message: str, run: ImportRun | None = None) -> None:
        super().__init__(message)
        self.run = run


class _Refused(Exception):
    """Rolls back an all-or-nothing import that has rejected rows."""


def rejected_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports" / "rejected"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- column mapping ----------------------------------------------------------------------------


def columns_map(
    kind: ImportKind,
    headers: list[str],
    mapping: dict[str, str],
    saved: dict[str, str],
    preset: Match | None = None,
) -> dict[str, int]:
    """field -> index of its column: the user's mapping, then the saved one, then the preset's,
    then the headers the kind recognises (not among the preset's own columns: an export's
    column that the preset reads as nothing stays unread). Raises ImportFailed naming what is
    missing."""
    fields = {column.field for column in kind.columns}
    mapping = mapping_fields(kind, mapping)
    by_header = {normalise_header(h): i for i, h in enumerate(headers)}
    found: dict[str, int] = {}
    taken: set[int] = set()
    given_by_preset = preset.mapping if preset is not None else {}
    for given, explicit in ((mapping, True), (saved, False), (given_by_preset, False)):
        for field_name, header in given.items():
            index = by_header.get(normalise_header(header))
            if index is None and explicit:
                raise ImportFailed(
                    _("no column %(header)s in the file; its columns are: %(headers)s")
                    % {"header": header, "headers": ", ".join(headers)}
                )
            if index is not None and field_name in fields and field_name not in found:
                found[field_name] = index
                taken.add(index)
    if preset is not None:
        own = set().union(*preset.preset.entries().values())
        taken |= {i for i, h in enumerate(headers) if normalise_header(h) in own}
    for column in kind.columns:
        if column.field in found:
            continue
        for synonym in column.headers:
            index = by_header.get(normalise_header(synonym))
            if index is not None and index not in taken:
                found[column.field] = index
                taken.add(index)
                break
    _check_required(kind, found, headers)
    return found


def mapping_fields(kind: ImportKind | type[ImportKind], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping with its left sides made fields: a field's name or its label (English or
    Chinese) names it. Raises ImportFailed naming the unknown ones and the kind's fields."""
    found: dict[str, str] = {}
    unknown = []
    for name, header in mapping.items():
        field_name = field_named(kind, name)
        if field_name is None:
            unknown.append(name)
        else:
            found[field_name] = header
    if unknown:
        raise ImportFailed(
            _("unknown fields %(fields)s; the fields are: %(known)s")
            % {"fields": joined(unknown), "known": fields_listed(kind)}
        )
    return found


def header_score(kind: ImportKind, *mappings: dict[str, str]) -> Score:
    """How many columns a row names, by the kind's headers, its presets' captions and the
    mappings': the header is the leading row that names the most (a title above it none)."""
    words = {normalise_header(word) for column in kind.columns for word in column.headers}
    words |= presets.captions_of(kind.name)
    words |= {normalise_header(header) for given in mappings for header in given.values()}

    def score(cells: Sequence[str]) -> int:
        return len(words.intersection(map(normalise_header, cells)))

    return score


def preset_recognise(kind: str, headers: list[str], choice: str | None) -> Recognition:
    """The preset of the file: the user's choice ("none": no preset), else the one its header
    is recognised as. Raises ImportFailed for a preset unknown or of another kind."""
    if choice == presets.NONE:
        return Recognition()
    if choice:
        preset = presets.PRESETS.get(choice)
        if preset is None or preset.kind != kind:
            raise ImportFailed(
                _("unknown preset %(preset)s for %(kind)s; the presets are: %(known)s")
                % {"preset": choice, "kind": kind,
                   "known": ", ".join([presets.NONE, *(p.key for p in presets.presets_of(kind))])}
            )  # fmt: skip
        return presets.chosen(choice, headers)
    return presets.recognise(headers, kind)


def _recognition_notes(recognition: Recognition, chosen: bool) -> list[str]:
    """What the run says about the preset: recognised, chosen, tied, near or of another kind."""
    match = recognition.match
    if match is not None:
        text = _("chosen ERP export: %(name)s") if chosen else _("recognised as %(name)s")
        return [text % {"name": match.preset.name}]
    if recognition.tied:
        names = " / ".join(m.preset.name for m in recognition.tied)
        return [_("the header fits %(names)s equally: none was used; choose one to use its "
                  "columns") % {"names": names}]  # fmt: skip
    notes = []
    if recognition.near is not None:
        near = recognition.near
        missing = ", ".join(near.missing[:6])
        notes.append(_("close to %(name)s, but its columns %(missing)s are missing: not used")
                     % {"name": near.preset.name, "missing": missing})  # fmt: skip
    if recognition.other_kind is not None:
        other = recognition.other_kind.preset
        notes.append(_("the header is that of %(name)s, an import of %(kind)s")
                     % {"name": other.name, "kind": Kind(other.kind).label})  # fmt: skip
    return notes


def _check_required(kind: ImportKind, found: dict[str, int], headers: list[str]) -> None:
    missing = [str(c.label) for c in kind.columns if c.required and c.field not in found]
    for group in kind.one_of:
        if not any(field_name in found for field_name in group):
            missing.append(" / ".join(str(kind.column(f).label) for f in group))
    if missing:
        raise ImportFailed(
            _("columns not found: %(missing)s; the file's columns are: %(headers)s")
            % {"missing": joined(missing), "headers": joined(headers)}
        )


# --- the run -----------------------------------------------------------------------------------


@dataclass
class _Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, rows: list[Row]) -> None:
        """Count a batch's rows by outcome (the rejected ones apart)."""
        self.read += len(rows)
        if any(map(REJECTION, rows)):
            outcomes = Counter(row.outcome if row.rejection is None else "rejected" for row in rows)
        else:
            outcomes = Counter(map(OUTCOME, rows))
        for outcome, number in outcomes.items():
            setattr(self, outcome, getattr(self, outcome) + number)


class _RejectedFile:
    """The rejected rows with the original columns and where and why each was refused."""

    def __init__(self, run: ImportRun, headers: list[str]) -> None:
        stem = Path(run.file_name).stem[:60] or "import"
        self.path = rejected_dir() / f"{run.pk}-{stem}-rejected.csv"
        self.headers = headers
        self.handle: Any = None
        self.writer: Any = None

    def write(self, row: Row) -> None:
        if self.writer is None:
            self.handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self.writer = csv.writer(self.handle)
            header = [*self.headers, _("file row"), _("column"), _("error")]
            self.writer.writerow([csv_raw_text(str(cell)) for cell in header])
        width = len(self.headers)
        cells = (row.cells + [""] * width)[:width] if len(row.cells) <= width else row.cells
        assert row.rejection is not None
        rejection = row.rejection
        line = [*cells, str(row.number), rejection.column, str(rejection.reason)]
        self.writer.writerow([csv_raw_text(cell) for cell in line])

    def close(self) -> str:
        if self.handle is None:
            return ""
        self.handle.close()
        return str(self.path)


Parser = tuple[Column, int, str]  # the column, its index in the row, its header


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A cell its column's parser refused, and why."""

    error: CellError


def _parse(rows: list[Row], parsers: list[Parser], width: int) -> Batch:
    """The values of a batch's cells, a column at a time, or each row rejected at its first
    unreadable cell.

    Each distinct cell of a column is parsed once per batch (the parsers are pure): an order's
    number, date and customer repeat on each of its lines, and the values of the others are
    looked up in C rather than parsed in a Python loop per row. A column whose parser reads a
    list at once (``Column.parse_many``) is read so when all its cells are in canonical form."""
    cells_of = list(map(CELLS, rows))
    lengths = set(map(len, cells_of))
    if max(lengths, default=0) > width:
        for row in rows:
            cells = row.cells
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                row.reject("", cells[width], _("the row has more cells than the file has columns"))
    if any(map(REJECTION, rows)):
        live = [row for row in rows if row.rejection is None]
        cells_of = list(map(CELLS, live))
    else:
        live = rows
    if cells_of and lengths == {width}:
        by_column: list[Sequence[str]] = list(zip(*cells_of, strict=True))
    else:
        by_column = [
            [cells[index] if index < len(cells) else "" for cells in cells_of]
            for index in range(width)
        ]
    columns: dict[str, list[Any]] = {}
    refused: dict[int, tuple[int, str]] = {}  # row position -> (parser position, cell)
    for position, (column, index, _header) in enumerate(parsers):
        texts = by_column[index] if cells_of else []
        values, bad = _parse_column(column, texts)
        for at in bad:
            refused.setdefault(at, (position, texts[at]))
        columns[column.field] = values
    for at in sorted(refused):
        position, text = refused[at]
        column, _index, header = parsers[position]
        row = live[at]
        row.values = {c.field: columns[c.field][at] for c, _i, _h in parsers[:position]}
        row.reject(header, text, reason_text(columns[column.field][at].error, column))
    batch = Batch(rows, live, columns)
    batch.keep_ok()
    return batch


def _parse_column(column: Column, texts: Sequence[str]) -> tuple[list[Any], list[int]]:
    """The values of a column's cells, and the positions of the unreadable ones."""
    sample = texts[:256]
    if column.parse_many is not None and len(set(sample)) >= 0.95 * len(sample):  # distinct
        direct = column.parse_many(texts)
        if direct is not None and not (column.required and _has_empty(direct)):
            return direct, []
    unique = list(dict.fromkeys(texts))
    read = column.parse_many(unique) if column.parse_many is not None else None
    if read is None:
        read = []
        for text in unique:
            try:
                value = column.parse(text)
            except CellError as exc:
                value = _Unreadable(exc)
            read.append(value)
    kinds = set(map(type, read))  # of values, without comparing Decimals with str or None
    if column.required and (type(None) in kinds or str in kinds):
        read = [_MISSING if value is None or value == "" else value for value in read]
        if any(value is _MISSING for value in read):
            kinds.add(_Unreadable)
    parsed = dict(zip(unique, read, strict=True))
    values = list(map(parsed.__getitem__, texts))
    if _Unreadable not in kinds:
        return values, []
    return values, [at for at, value in enumerate(values) if isinstance(value, _Unreadable)]


def _has_empty(values: list[Any]) -> bool:
    """Whether a None or "" is among the values (without comparing each Decimal with "")."""
    kinds = set(map(type, values))
    return type(None) in kinds or (str in kinds and "" in values)


_MISSING = _Unreadable(CellError(MISSING))
CELLS = operator.attrgetter("cells")


def _none_blank(records: list[list[str]]) -> bool:
    """Whether every row has a cell with more than blanks (most rows say so in their first)."""
    if not all(records):  # an empty line
        return False
    firsts = list(map(FIRST, records))
    if all(firsts) and not any(map(str.isspace, firsts)):
        return True
    joined = list(map("".join, records))
    return all(joined) and not any(map(str.isspace, joined))


FIRST = operator.itemgetter(0)


@dataclass
class _Skipped:
    """Rows left out of the import: totals rows (合计, 小计, Total ...) and blank ones."""

    totals: list[int] = field(default_factory=list)
    blank: int = 0


def _batches(table: Table, skipped: _Skipped) -> Iterator[list[Row]]:
    """The rows in batches of BATCH_ROWS, blank rows and totals rows left out (their numbers
    are kept; ``skipped`` counts them)."""
    pending: list[Row] = []
    for first, records in table.blocks(BATCH_ROWS):
        totals = erpfile.totals_rows(records)
        if totals:
            skipped.totals += [first + at for at in totals]
            records = list(records)
            for at in totals:
                records[at] = []
        if not totals and _none_blank(records):
            rows = list(map(Row, range(first, first + len(records)), records))
        else:
            joined = list(map("".join, records))
            pairs = enumerate(zip(records, joined, strict=True))
            rows = [Row(first + at, cells) for at, (cells, text) in pairs
                    if text and not text.isspace()]  # fmt: skip
            skipped.blank += len(records) - len(rows) - len(totals)
        pending = pending + rows if pending else rows
        while len(pending) >= BATCH_ROWS:
            yield pending[:BATCH_ROWS]
            pending = pending[BATCH_ROWS:]
    if pending:
        yield pending


def _expected_rows(path: Path, table: Table) -> int:
    if table.encoding is None:
        return 0
    lines = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def import_run(
    *,
    kind: str,
    path: Path,
    user: User | None = None,
    source: str = "erp",
    file_name: str | None = None,
    atomic: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    save_mapping: bool = False,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    preset: str | None = None,
) -> ImportRun:
    """Import one file of the given kind; returns the recorded run with its counts.

    ``run`` is a run recorded beforehand (an upload queued for the background worker): it is
    marked running and filled in instead of a new one being created.

    ``preset`` is the ERP export the file is (a key of ``imports.presets``; "none" for none);
    left out, the header is recognised. The header is the leading row naming the most columns
    (a title and a date range above it are skipped); totals rows are left out. Both are noted.

    Valid rows are applied batch by batch and rejected rows written to a CSV file beside the run;
    with ``atomic`` the whole file is one transaction, rolled back if any row is rejected (status
    refused). Raises ImportFailed (the run recorded as failed) when the file cannot be imported.
    """
    if kind not in KINDS:
        raise ImportFailed(_("unknown kind %(kind)s") % {"kind": kind})
    importer = KINDS[kind]()
    if run is None:
        run = ImportRun.objects.create(
            kind=kind,
            source=source,
            file_name=(file_name or path.name)[:255],
            sha256=file_sha256(path) if path.is_file() else "",
            user=user,
            atomic=atomic,
        )
    else:
        run.status = ImportRun.Status.RUNNING
        run.save(update_fields=["status"])
    notes: list[str] = []
    try:
        saved_row = SourceMapping.objects.filter(source=source, kind=kind).first()
        saved = saved_row.columns if saved_row else {}
        score = header_score(importer, mapping or {}, saved)
        table = open_table(path, encoding=encoding, sheet=sheet, header_score=score)
        notes += _header_notes(table)
        recognition = preset_recognise(kind, table.headers, preset)
        notes += _recognition_notes(recognition, chosen=bool(preset))
        found = columns_map(importer, table.headers, mapping or {}, saved, recognition.match)
    except (ReadError, ImportFailed) as exc:
        run.notes = notes
        _finish(run, ImportRun.Status.FAILED, message=str(exc))
        raise ImportFailed(str(exc), run) from exc
    if mapping and save_mapping:
        source_mapping_save(source=source, kind=kind, columns=mapping)
    run.encoding, run.sheet = table.encoding or "", table.sheet or ""
    run.mapping = {field_name: table.headers[i] for field_name, i in found.items()}
    run.preset = recognition.preset.key if recognition.preset else ""
    run.notes = [*notes, *_unread_notes(importer, table.headers, found, recognition)]
    run.save(update_fields=["encoding", "sheet", "mapping", "preset", "notes"])
    negated = [f for f in recognition.preset.negated if f in found] if recognition.preset else []
    return _execute(run, importer, table, found, path, atomic, progress, negated)


def _header_notes(table: Table) -> list[str]:
    """The rows skipped above the header (a report's title, its date range), named."""
    if not table.skipped:
        return []
    rows = ", ".join(f"{number} “{text}”" for number, text in table.skipped[:5])
    return [_("the header is row %(row)s; rows above it skipped: %(rows)s")
            % {"row": table.header_row, "rows": rows}]  # fmt: skip


UNREAD_LISTED = 20


def _unread_notes(
    importer: ImportKind, headers: list[str], found: dict[str, int], recognition: Recognition
) -> list[str]:
    """The file's columns no field reads (beside a preset's own columns, which it reads as
    nothing on purpose), named so a column the user expected to be read can be mapped."""
    read = set(found.values())
    own = set().union(*recognition.preset.entries().values()) if recognition.preset else set()
    unread = [
        header
        for at, header in enumerate(headers)
        if at not in read and header.strip() and normalise_header(header) not in own
    ]
    if not unread:
        return []
    listed = joined(unread[:UNREAD_LISTED]) + ("…" if len(unread) > UNREAD_LISTED else "")
    return [
        ngettext(
            "%(count)s column not read: %(columns)s (give it a field under “Column mapping” to "
            "read it)",
            "%(count)s columns not read: %(columns)s (give them fields under “Column mapping” to "
            "read them)",
            len(unread),
        )
        % {"count": len(unread), "columns": listed}
    ]


def _skipped_notes(skipped: _Skipped) -> list[str]:
    notes = []
    if skipped.totals:
        rows = ", ".join(map(str, skipped.totals[:10])) + ("…" if len(skipped.totals) > 10 else "")
        notes.append(ngettext("%(count)s totals row skipped (row %(rows)s)",
                              "%(count)s totals rows skipped (rows %(rows)s)", len(skipped.totals))
                     % {"count": len(skipped.totals), "rows": rows})  # fmt: skip
    if skipped.blank:
        notes.append(ngettext("%(count)s blank row skipped", "%(count)s blank rows skipped",
                              skipped.blank) % {"count": skipped.blank})  # fmt: skip
    return notes


def _execute(
    run: ImportRun,
    importer: ImportKind,
    table: Table,
    found: dict[str, int],
    path: Path,
    atomic: bool,
    progress: Progress | None,
    negated: Sequence[str] = (),
) -> ImportRun:
    parsers = [
        (importer.column(name), index, table.headers[index]) for name, index in found.items()
    ]
    ctx = Context(
        run=run,
        source=run.source,
        headers={field_name: table.headers[i] for field_name, i in found.items()},
        accounts=AccountResolver(run.source, scope=import_scope(run.user)),
        seen=SeenKeys(),
        now=timezone.now(),
        labels={column.field: str(column.label) for column in importer.columns},
    )
    counts = _Counts()
    rejected = _RejectedFile(run, table.headers)
    expected = _expected_rows(path, table)

    skipped = _Skipped()

    def one_batch(rows: list[Row]) -> None:
        batch = _parse(rows, parsers, len(table.headers))
        for name in negated:  # the ERP writes the sign the other way round (presets.negated)
            batch.columns[name] = [None if v is None else -v for v in batch.columns[name]]
        importer.apply(batch, ctx)
        ctx.accounts.flush_keys()
        counts.add(rows)
        if any(map(REJECTION, rows)):
            for row in rows:
                if row.rejection is not None:
                    rejected.write(row)
        if progress is not None:
            progress(counts.read, max(expected, counts.read))

    status = ImportRun.Status.DONE
    message = ""
    # The batches allocate millions of short-lived objects without cycles: the collector's
    # default thresholds would walk the heap every few hundred rows.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    previous_cache = _sqlite_cache(SQLITE_CACHE_KIB)
    try:
        if atomic:
            with transaction.atomic():
                for batch in _batches(table, skipped):
                    one_batch(batch)
                if counts.rejected:
                    raise _Refused
                _rebuild(importer, ctx)
        else:
            batches = _batches(table, skipped)
            while _apply_some(batches, one_batch):
                if connection.vendor == "sqlite":
                    # SQLite has one writer at a time: between groups of batches the others
                    # waiting on the lock (a page saving an edit) get a moment to go first.
                    time.sleep(SQLITE_WRITERS_PAUSE)
            with transaction.atomic():
                _rebuild(importer, ctx)
    except _Refused:
        status = ImportRun.Status.REFUSED
        message = _("%(count)s rows were rejected: nothing was applied") % {
            "count": counts.rejected
        }
    except ReadError as exc:
        status, message = ImportRun.Status.FAILED, str(exc)
    except DatabaseError as exc:  # the batch was rolled back; earlier batches stay applied
        status, message = ImportRun.Status.FAILED, _("database error: %(error)s") % {"error": exc}
    except Exception as exc:  # a bug: the run is failed, never left running, and the error raised
        error = str(exc) or type(exc).__name__
        run.rows_read = 0 if atomic else counts.read  # the rows of the batches stored before
        _finish(
            run,
            ImportRun.Status.FAILED,
            message=_("unexpected error: %(error)s") % {"error": error},
        )
        raise
    finally:
        gc.set_threshold(*thresholds)
        _sqlite_cache(previous_cache)
        rejected_path = rejected.close()
        ctx.seen.drop()
    with transaction.atomic():
        ctx.accounts.flush_matches(run)
    run.rows_read = counts.read
    run.rows_rejected = counts.rejected
    if status == ImportRun.Status.REFUSED:
        run.rows_skipped = counts.inserted + counts.updated + counts.unchanged
    elif status == ImportRun.Status.DONE:
        run.rows_inserted, run.rows_updated = counts.inserted, counts.updated
        run.rows_unchanged = counts.unchanged
    run.rejected_file = rejected_path
    run.notes = [*run.notes, *_skipped_notes(skipped)]
    if status == ImportRun.Status.DONE:
        run.notes += importer.notes()
        run.warnings = importer.warnings()
    _finish(run, status, message=message)
    if status == ImportRun.Status.FAILED:
        raise ImportFailed(message, run)
    return run


def _apply_some(
    batches: Iterator[list[Row]],
    one_batch: Callable[[list[Row]], None],
) -> bool:
    """Apply the next BATCHES_PER_COMMIT batches in one transaction, each in a savepoint: a batch
    that fails is undone alone, the ones before it are committed (as when each batch was its own
    transaction), and the error raised. False when the batches are over."""
    failure: DatabaseError | None = None
    applied = 0
    with transaction.atomic():
        for batch in itertools.islice(batches, BATCHES_PER_COMMIT):
            try:
                with transaction.atomic():
                    one_batch(batch)
            except DatabaseError as exc:
                failure = exc
                break
            applied += 1
    if failure is not None:
        raise failure
    return applied == BATCHES_PER_COMMIT


def _sqlite_cache(kib: int | None) -> int | None:
    """Set SQLite's page cache (a bound, not an allocation) and return the one it replaces.
    Each batch looks its keys up in indexes that outgrow the 2 MiB default on big files."""
    if connection.vendor != "sqlite" or kib is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-abs(int(kib))}")
    return abs(int(previous)) if int(previous) < 0 else None


def _rebuild(importer: ImportKind, ctx: Context) -> None:
    """The per-account aggregates of the accounts the import wrote, then their alerts (a
    payment made late or an order line without cost warns its owner without a refresh)."""
    if importer.rebuilds_aggregates and ctx.touched_accounts:
        aggregates_rebuild(account_ids=ctx.touched_accounts)
        # Imported here: the rules bring numpy, which the rows' phase of an import never needs
        # (the engine's memory stays what the batches need).
        from openkam.alerts.services import alerts_evaluate

        alerts_evaluate(accounts=ctx.touched_accounts)


def _finish(run: ImportRun, status: str, *, message: str = "") -> None:
    run.status = status
    run.message = message[:MESSAGE_CHARS]
    run.finished_at = timezone.now()
    run.save()


# --- mappings and matches ----------------------------------------------------------------------


@transaction.atomic
def source_mapping_save(*, source: str, kind: str, columns: dict[str, str]) -> SourceMapping:
    """Remember the column mapping of a source's files of this kind for its next imports."""
    columns = mapping_fields(KINDS[kind], columns)
    mapping, _created = SourceMapping.objects.update_or_create(
        source=source, kind=kind, defaults={"columns": columns}
    )
    return mapping


@transaction.atomic
def account_match_confirm(*, match: AccountMatch, user: User) -> AccountKey:
    """The customer of the file is this account: its key points there from now on, and the
    other candidates for the same customer are rejected."""
    match = AccountMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != AccountMatch.Status.PENDING:
        raise ValueError("decided already")
    now = timezone.now()
    key, _created = AccountKey.objects.update_or_create(
        source=match.source, external_id=match.external_id, defaults={"account": match.account}
    )
    match.status, match.decided_by, match.decided_at = AccountMatch.Status.CONFIRMED, user, now
    match.save(update_fields=["status", "decided_by", "decided_at"])
    AccountMatch.objects.filter(
        source=match.source, external_id=match.external_id, status=AccountMatch.Status.PENDING
    ).update(status=AccountMatch.Status.REJECTED, decided_by=user, decided_at=now)
    return key


@transaction.atomic
def account_match_reject(*, match: AccountMatch, user: User) -> AccountMatch:
    """The customer of the file is not this account: it is never proposed again."""
    match = AccountMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != AccountMatch.Status.PENDING:
        raise ValueError("decided already")
    match.status, match.decided_by = AccountMatch.Status.REJECTED, user
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    return match
