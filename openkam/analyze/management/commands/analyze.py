"""`openkam analyze FILE`: the customer-base analysis of one ERP export, without a server.

Reads the file, runs the analysis, prints a summary (with --json: every figure as JSON on stdout
and nothing else there) and writes a workbook and an HTML report. It never opens the database.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _
from rich.console import Console

from openkam.analyze import console, jsonout, labels, pipeline, reading
from openkam.analyze.report import write_report
from openkam.analyze.table import write_customers
from openkam.analyze.workbook import (
    DEFAULT_SHEET_ROWS,
    SHEET_ROWS,
    TABLE_NAME,
    sheet_columns,
    top_positions,
    write_workbook,
)
from openkam.common.erpfile import ErpFileError, Limits

if TYPE_CHECKING:
    import polars as pl

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
LANGUAGES = ("zh-hans", "en")


class _Stream:
    """Lets rich write through Django's OutputWrapper without it adding line endings."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return bool(self.out.isatty())


def _date(text: str) -> dt.date:
    value = reading.parse_date_text(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")
    return value


def _delimiter(text: str) -> str:
    value = DELIMITER_NAMES.get(text.lower(), text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError("give one character, or tab, comma, semicolon or pipe")
    return value


def _amount(text: str) -> float:
    return float(text.replace(",", "").replace("_", ""))


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


class Command(BaseCommand):
    help = (
        "Analyse a transactions export (CSV or XLSX) without a server: BG/NBD and Pareto/NBD, "
        "Gamma-Gamma and CLV, P(alive), Pareto/ABC and concentration, tiers, loyalty, churn "
        "risk and the holdout check; prints a summary, writes a workbook and an HTML report."
    )
    requires_system_checks: list[str] = []  # nothing here depends on models or the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="transactions file: .csv, .txt or .xlsx")
        parser.add_argument("--json", action="store_true", help="print every figure as JSON")
        parser.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help="folder for the workbook and the report (default ./openkam-analysis-<stem>/; "
            "with --json, files are written only when --out is given)",
        )
        parser.add_argument("--language", choices=LANGUAGES, default="zh-hans")
        parser.add_argument(
            "--sheet-rows",
            type=_positive_int,
            default=DEFAULT_SHEET_ROWS,
            metavar="N",
            help="most customers on the workbook's customers sheet (default "
            f"{DEFAULT_SHEET_ROWS:,}; most {SHEET_ROWS:,}, Excel's limit); with more customers "
            "the sheet holds those of largest CLV and every customer goes to customers.csv "
            "beside the workbook",
        )
        reading_group = parser.add_argument_group("reading the file")
        reading_group.add_argument("--encoding", help="e.g. gb18030, utf-8 (default: detected)")
        reading_group.add_argument("--delimiter", type=_delimiter, help="default: sniffed")
        reading_group.add_argument("--sheet", help="sheet of a workbook (default: the first)")
        for role in reading.ROLES:
            reading_group.add_argument(
                f"--{role}-column", metavar="HEADER", help=f"header of the {role} column"
            )
        model = parser.add_argument_group("analysis")
        model.add_argument("--time-unit", choices=("day", "week", "month"), default="week")
        model.add_argument(
            "--calibration-end",
            type=_date,
            metavar="DATE",
            help="end of the calibration period (default: the last date in the file); later "
            "transactions are the holdout",
        )
        model.add_argument(
            "--discount-rate", type=float, default=0.10, metavar="RATE", help="yearly (0.10)"
        )
        model.add_argument("--horizon-months", type=_positive_int, default=12, metavar="N")
        model.add_argument(
            "--margin",
            type=float,
            metavar="RATE",
            help="share of revenue (default: from the cost column, or 1)",
        )
        model.add_argument(
            "--purchase-model",
            choices=pipeline.PURCHASE_MODELS,
            default=pipeline.BGNBD,
            help="model behind P(alive), CLV and churn (both are fitted and reported)",
        )
        model.add_argument(
            "--key-threshold", type=_amount, default=20_000_000.0, metavar="AMOUNT",
            help="annual revenue for key (default 20,000,000)",
        )  # fmt: skip
        model.add_argument(
            "--major-threshold", type=_amount, default=5_000_000.0, metavar="AMOUNT",
            help="annual revenue for major (default 5,000,000)",
        )  # fmt: skip
        model.add_argument(
            "--no-leader-rule",
            action="store_true",
            help="propose key on sales alone (an export does not say who leads its industry)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._analyse(options)

    def _analyse(self, options: dict[str, Any]) -> None:
        quiet = options["verbosity"] == 0
        self.stderr.style_func = None  # progress is not an error: no red
        stderr = Console(file=_Stream(self.stderr), highlight=False)  # type: ignore[arg-type]
        path: Path = options["file"]
        out_dir = self._out_dir(options, path)
        sheet_rows = min(options["sheet_rows"], SHEET_ROWS)
        # A bar only on a terminal: in a log it would be one more line of noise.
        show_progress = not quiet and self.stderr.isatty()
        with console.progress_bar(stderr, enabled=show_progress) as step:
            step("read")
            data = _read(path, _read_options(options))
            # The analysis holds the only reference to the rows, and frees them once it has
            # the customer-days: 20 MiB less at the peak with 555,000 lines.
            rows, data = [data.frame], data.without_rows()
            result = _run(data, rows, _analysis_options(options), step)
            step("write")
            release_free_memory()  # what the analysis freed, before the outputs' peak
            written = (
                _write(out_dir, data, result, sheet_rows=sheet_rows) if out_dir is not None else []
            )
        if options["json"]:
            jsonout.write(_Stream(self.stdout), data, result)  # type: ignore[arg-type]
        elif not quiet:
            stdout = Console(file=_Stream(self.stdout), highlight=False, soft_wrap=False)  # type: ignore[arg-type]
            partial = any(path.name == TABLE_NAME for path in written)
            console.print_summary(
                stdout, data, result, written, sheet_rows=sheet_rows if partial else None
            )

    def _out_dir(self, options: dict[str, Any], path: Path) -> Path | None:
        if options["out"] is not None:
            return Path(options["out"])
        return None if options["json"] else Path.cwd() / f"openkam-analysis-{path.stem}"


def _process_symbols() -> ctypes.CDLL | None:
    """The symbols the process has loaded, the C library's among them (None where ctypes
    cannot open them)."""
    try:
        return ctypes.CDLL(None)
    except (OSError, TypeError):
        return None


_PROCESS = _process_symbols()


def release_free_memory() -> None:
    """Hands the C heap's free pages back to the system (glibc's malloc_trim; nothing where
    there is none). The analysis's numpy temporaries are freed but their pages stay with the
    process, and the outputs' peak comes on top of them: at 200,000 customers trimming before
    each output takes some 5 ms and lowers the peak by 40-60 MiB. (Not between the analysis's
    own steps: their pages are faulted back in by the next step, 0.1-0.2 s of system time for
    a few MiB.)"""
    trim = getattr(_PROCESS, "malloc_trim", None)
    if trim is not None:
        trim(0)


def _read_options(options: dict[str, Any]) -> reading.ReadOptions:
    columns = {
        role: options[f"{role}_column"] for role in reading.ROLES if options[f"{role}_column"]
    }
    return reading.ReadOptions(
        encoding=options["encoding"],
        delimiter=options["delimiter"],
        sheet=options["sheet"],
        columns=columns,
        limits=Limits.from_settings(settings),
    )


def _analysis_options(options: dict[str, Any]) -> pipeline.AnalysisOptions:
    return pipeline.AnalysisOptions(
        time_unit=options["time_unit"],
        calibration_end=options["calibration_end"],
        annual_discount_rate=options["discount_rate"],
        horizon_months=options["horizon_months"],
        margin=options["margin"],
        key_threshold=options["key_threshold"],
        major_threshold=options["major_threshold"],
        key_requires_leader=not options["no_leader_rule"],
        purchase_model=options["purchase_model"],
    )


def _read(path: Path, options: reading.ReadOptions) -> reading.Transactions:
    try:
        return reading.read_transactions(path, options)
    except reading.MissingColumnsError as exc:
        raise CommandError(missing_columns_message(exc)) from None
    except (reading.ReadError, ErpFileError) as exc:
        message = _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.text(_)}
        if isinstance(exc, ErpFileError) and exc.code in ENCODING_ERRORS:
            message += " " + _("Give the encoding with --encoding (e.g. gb18030 or utf-8).")
        raise CommandError(message) from None


# The edge's errors a user fixes by naming the file's encoding.
ENCODING_ERRORS = frozenset(
    {"undetected_encoding", "not_valid_encoding", "not_valid_encoding_after", "binary"}
)


def missing_columns_message(exc: reading.MissingColumnsError) -> str:
    looked = "; ".join(
        f"{labels.ROLES[role]}: {', '.join(names)}" for role, names in exc.missing.items()
    )
    return _(
        "Column(s) not found: %(roles)s. Looked for the headers %(looked)s. The file's headers "
        "are: %(headers)s. Name the columns with --customer-column, --date-column and "
        "--amount-column (and --cost-column, --quantity-column)."
    ) % {
        "roles": ", ".join(str(labels.ROLES[role]) for role in exc.missing),
        "looked": looked,
        "headers": ", ".join(exc.headers) or "–",
    }


def _run(
    data: reading.Transactions,
    rows: list[pl.DataFrame],
    options: pipeline.AnalysisOptions,
    step: pipeline.Progress,
) -> pipeline.AnalysisResult:
    """The analysis of the one frame in ``rows``, taken out of the list so that only the
    pipeline refers to it."""
    if data.rows_read == 0:
        raise CommandError(_("The file has a header but no data rows."))
    if data.rows_used == 0:
        raise CommandError(
            _("No row could be used: %(n)s rows read, all rejected (first: %(first)s).")
            % {"n": data.rows_read, "first": _first_rejection(data)}
        )
    try:
        return pipeline.run_analysis(rows.pop(), options, step)
    except pipeline.AnalysisError as exc:
        raise CommandError(str(exc)) from None


def _first_rejection(data: reading.Transactions) -> str:
    if data.rejected.height == 0:
        return "–"
    row, column, value, reason = data.rejected.row(0)
    return f"row {row}, {column} = {value!r}: {labels.rejection_reason(reason)}"


def _write(
    out_dir: Path, data: reading.Transactions, result: pipeline.AnalysisResult, *, sheet_rows: int
) -> list[Path]:
    """The workbook, the report and the JSON file; the full customer table as a CSV beside the
    workbook when the customers sheet cannot hold every customer (analysis.json then holds the
    customers the sheet shows and names the CSV)."""
    paths = [out_dir / "analysis.xlsx", out_dir / "report.html", out_dir / "analysis.json"]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        table = out_dir / TABLE_NAME
        shown = None  # every customer in analysis.json, unless customers.csv holds them
        if write_workbook(paths[0], data, result, sheet_rows=sheet_rows):
            table.unlink(missing_ok=True)  # a table from an earlier, larger run would mislead
        else:
            release_free_memory()
            write_customers(table, result, sheet_columns(result))
            paths.insert(1, table)
            shown = top_positions(result, "clv", sheet_rows)
        release_free_memory()
        write_report(paths[-2], data, result)
        with paths[-1].open("w", encoding="utf-8") as out:
            jsonout.write(out, data, result, positions=shown, table=TABLE_NAME)
    except OSError as exc:
        message = _("Cannot write to %(dir)s: %(error)s") % {"dir": out_dir, "error": exc}
        raise CommandError(message) from None
    return paths
