"""The headline figures of an analysis as (section, [(label, value)]) in words, shared by the
workbook's summary sheet, the HTML report and the console, plus the number formats they use."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from openkam.analyze import labels
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult

Rows = list[tuple[str, str]]

DELIMITER_NAMES = {",": "“,”", "\t": "Tab", ";": "“;”", "|": "“|”"}


def integer(value: float | int | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def money(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.2f}"


def share(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.1%}"


def decimal(value: float | None, digits: int = 3) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.{digits}f}"


def summary_rows(data: Transactions, result: AnalysisResult) -> list[tuple[str, Rows]]:
    sections = [
        (_("Data read"), data_rows(data)),
        (_("Period and settings"), settings_rows(result)),
        (_("Customers"), customer_rows(result)),
        (_("Concentration"), concentration_rows(result)),
        (_("Tier proposals"), tier_rows(result)),
        (_("Loyalty"), loyalty_rows(result)),
        (_("Churn risk"), churn_rows(result)),
    ]
    if result.holdout is not None:
        sections.append((_("Holdout comparison"), holdout_rows(result)))
    if result.notes:
        sections.append((_("Notes"), [("", labels.note(note)) for note in result.notes]))
    return sections


def data_rows(data: Transactions) -> Rows:
    source = data.source
    rows = [(_("file"), str(source.path))]
    if source.sheet is not None:
        rows.append((_("sheet"), source.sheet))
    if source.encoding is not None:
        rows.append((_("encoding"), source.encoding))
    if source.delimiter is not None:
        rows.append((_("delimiter"), DELIMITER_NAMES.get(source.delimiter, source.delimiter)))
    rows.append((_("header row"), integer(source.header_row)))
    for role, header in source.columns.items():
        rows.append((_("column for %(role)s") % {"role": labels.ROLES[role]}, header))
    for role, others in source.alternatives.items():
        label = _("also matched for %(role)s (unused)") % {"role": labels.ROLES[role]}
        rows.append((label, ", ".join(others)))
    rows += [
        (_("rows read"), integer(data.rows_read)),
        (_("rows used"), integer(data.rows_used)),
        (_("rows rejected"), integer(data.rows_rejected)),
        (_("blank rows skipped"), integer(data.blank_rows)),
    ]
    return rows


def settings_rows(result: AnalysisResult) -> Rows:
    options = result.options
    unit = str(labels.TIME_UNITS[options.time_unit])
    rows = [
        (_("first date"), result.first_date.isoformat()),
        (_("last date"), result.last_date.isoformat()),
        (_("calibration end (figures as of)"), result.as_of.isoformat()),
    ]
    if result.holdout is not None:
        span = f"{result.holdout.start} – {result.holdout.end} ({result.holdout.length:.1f} {unit})"
        rows.append((_("holdout period"), span))
    rows += [
        (_("time unit"), unit),
        (_("purchase model for P(alive), CLV and churn"), labels.model(result.primary_model)),
        (_("yearly discount rate"), share(options.annual_discount_rate)),
        (_("CLV horizon (months)"), integer(options.horizon_months)),
        (_("margin"), str(labels.MARGIN_SOURCES[result.margin_source])),
        (_("overall margin rate"), share(result.overall_margin)),
    ]
    return rows


def customer_rows(result: AnalysisResult) -> Rows:
    counts = result.counts
    return [
        (_("customers"), integer(counts.customers)),
        (_("customers in the purchase models"), integer(counts.cohort_customers)),
        (_("purchase days (transactions)"), integer(counts.purchase_days)),
        (_("repeat purchase days"), integer(counts.repeat_purchase_days)),
        (_("return days"), integer(counts.return_days)),
        (_("customers first seen after the calibration end"),
         integer(counts.customers_after_calibration)),
    ]  # fmt: skip


def concentration_rows(result: AnalysisResult) -> Rows:
    rows: Rows = []
    names = {"revenue": _("revenue"), "profit": _("margin")}
    for measure, figures in result.concentration.items():
        name = names[measure]
        top = _("top %(share)s of customers' share of %(measure)s") % {
            "share": f"{figures.top_fraction:.0%}",
            "measure": name,
        }
        abc = result.abc_counts[measure]
        rows += [
            (top, share(figures.top_share)),
            (_("Gini of %(measure)s") % {"measure": name}, decimal(figures.gini)),
            (_("HHI of %(measure)s") % {"measure": name}, decimal(figures.hhi, 4)),
            (_("ABC classes of %(measure)s") % {"measure": name},
             f"A {abc['A']:,} · B {abc['B']:,} · C {abc['C']:,}"),
        ]  # fmt: skip
    return rows


def tier_rows(result: AnalysisResult) -> Rows:
    summary = result.tiers
    rows = [
        (_("key threshold (annual revenue)"), money(summary.key_threshold)),
        (_("major threshold (annual revenue)"), money(summary.major_threshold)),
        (_("key also needs an industry-leading position"),
         _("yes") if summary.key_requires_leader else _("no")),
    ]  # fmt: skip
    rows += [(labels.tier(tier), integer(count)) for tier, count in summary.counts.items()]
    return rows


def loyalty_rows(result: AnalysisResult) -> Rows:
    summary = result.loyalty
    return [
        (_("high repeat purchasing (axis ≥ 0.5)"), integer(summary.high_repeat)),
        (_("low repeat purchasing"), integer(summary.low_repeat)),
        (_("unknown (one purchase)"), integer(summary.unknown)),
        (_("median days between purchases"), decimal(summary.median_mean_gap_days, 1)),
        (_("median variation of the gaps (CV)"), decimal(summary.median_gap_cv)),
    ]


def churn_rows(result: AnalysisResult) -> Rows:
    summary = result.churn
    rows = [(labels.churn_level(level), integer(n)) for level, n in summary.counts.items()]
    rows += [(labels.churn_reason(code), integer(n)) for code, n in summary.reasons.items()]
    return rows


def holdout_rows(result: AnalysisResult) -> Rows:
    holdout = result.holdout
    assert holdout is not None
    rows = [(_("repeat purchases in the holdout, actual"), decimal(holdout.actual_total, 0))]
    for model, total in holdout.expected_total.items():
        label = _("repeat purchases in the holdout, expected (%(model)s)") % {
            "model": labels.model(model)
        }
        rows.append((label, decimal(total, 1)))
    return rows
