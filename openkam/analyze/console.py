"""The analysis as rich tables on the terminal, and the progress bar of its steps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openkam.analyze import labels, report, summary, workbook
from openkam.analyze.pipeline import STEPS
from openkam.analyze.pipeline import Progress as StepCallback
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult

REJECTED_SHOWN = 10
# Few enough to fit 80 columns with Chinese headings; the report and workbook have them all.
CONSOLE_COLUMNS = ("customer_id", "revenue", "x", "p_alive", "clv", "churn_level")


def step_names() -> dict[str, str]:
    return {
        "read": _("reading the file"),
        "prepare": _("preparing the customer base"),
        "bgnbd": _("fitting BG/NBD"),
        "pareto_nbd": _("fitting Pareto/NBD"),
        "gamma_gamma": _("fitting Gamma-Gamma"),
        "clv": _("customer lifetime value"),
        "pareto": _("Pareto and concentration"),
        "tiers": _("tier proposals"),
        "loyalty": _("loyalty"),
        "churn": _("churn risk"),
        "holdout": _("holdout comparison"),
        "write": _("writing the workbook and the report"),
    }


@contextmanager
def progress_bar(console: Console, *, enabled: bool) -> Iterator[StepCallback]:
    """A callback for each step: it completes the previous step and names the next one."""
    names = step_names()
    total = len(STEPS) + 2  # reading and writing around the pipeline's steps
    progress = Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )
    task = progress.add_task(names["read"], total=total)
    started = False

    def step(name: str) -> None:
        nonlocal started
        if started:
            progress.advance(task)
        started = True
        progress.update(task, description=names.get(name, name))

    with progress:
        yield step
        progress.update(task, completed=total, description=_("done"))


def print_summary(
    console: Console,
    data: Transactions,
    result: AnalysisResult,
    outputs: list[Path],
    *,
    sheet_rows: int | None = None,
) -> None:
    """The summary; ``sheet_rows``: the workbook's customers sheet holds only so many (the
    full table was written beside it)."""
    console.print(_pairs(_("Data read"), summary.data_rows(data) + summary.settings_rows(result)))
    if data.rows_rejected:
        console.print(_rejected(data))
    console.print(_models(result))
    console.print(_concentration(result))
    console.print(_customers(_("Top customers by customer lifetime value"), result))
    console.print(_pairs(_("Churn risk"), summary.churn_rows(result)))
    console.print(_pairs(_("Tier proposals"), summary.tier_rows(result)))
    if result.holdout is not None:
        console.print(_pairs(_("Holdout comparison"), summary.holdout_rows(result)))
    if result.notes:
        console.print(_notes(result))
    for path in outputs:
        console.print(_("Written: %(path)s") % {"path": path}, style="green")
    if sheet_rows is not None:
        console.print(workbook.partial_sheet_text(result, sheet_rows), style="yellow")


def _pairs(title: str, rows: summary.Rows) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in rows:
        table.add_row(label, value)
    return table


def _notes(result: AnalysisResult) -> Table:
    table = Table(title=_("Notes"), show_header=False, title_justify="left")
    table.add_column(style="yellow", overflow="fold")  # Chinese has no spaces to wrap at
    for note in result.notes:
        table.add_row(labels.note(note))
    return table


def _rejected(data: Transactions) -> Table:
    title = _("Rejected rows: %(n)s (the first problems; every one in the workbook)") % {
        "n": f"{data.rows_rejected:,}"
    }
    table = Table(title=title, title_justify="left")
    for heading in (_("row"), _("column"), _("value"), _("reason")):
        table.add_column(heading)
    for row, column, value, reason in data.rejected.head(REJECTED_SHOWN).iter_rows():
        table.add_row(str(row), column, value, labels.rejection_reason(reason))
    return table


def _models(result: AnalysisResult) -> Table:
    table = Table(title=_("Models"), title_justify="left")
    table.add_column(_("model"))
    table.add_column(_("parameters (± standard error)"))
    table.add_column(_("log-likelihood"), justify="right")
    table.add_column(_("customers"), justify="right")
    for row in report.model_rows(result):
        params = row["params"].replace(", ", "\n") if not row["error"] else row["error"]
        style = "red" if row["error"] else None
        table.add_row(row["model"], params, row["log_likelihood"], row["customers"], style=style)
    return table


def _concentration(result: AnalysisResult) -> Table:
    table = Table(title=_("Concentration"), title_justify="left")
    top = _("top %(share)s share") % {"share": f"{result.options.top_fraction:.0%}"}
    headings = [_("measure"), top, _("Gini"), _("HHI"), "A", "B", "C"]
    for k, heading in enumerate(headings):
        table.add_column(heading, justify="left" if k == 0 else "right")
    names = {"revenue": _("revenue"), "profit": _("margin")}
    for measure, figures in result.concentration.items():
        abc = result.abc_counts[measure]
        table.add_row(
            names[measure],
            summary.share(figures.top_share),
            summary.decimal(figures.gini),
            summary.decimal(figures.hhi, 4),
            *(f"{abc[c]:,}" for c in "ABC"),
        )
    return table


def _customers(title: str, result: AnalysisResult) -> Table:
    content = report.customer_table(result, report.top_by(result, "clv", 10), CONSOLE_COLUMNS)
    table = Table(title=title, title_justify="left")
    for k, heading in enumerate(content["headings"]):
        # Figures are never cut: the headings wrap instead.
        widest = max((len(row[k]) for row in content["rows"]), default=1)
        table.add_column(heading, justify="left" if k == 0 else "right", min_width=widest)
    for row in content["rows"]:
        table.add_row(*row)
    return table
