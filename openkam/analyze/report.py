"""The analysis as one self-contained HTML file: tables and charts, no request to the network.

Charts are drawn by ECharts, inlined from the vendored file (``scripts/vendor_assets.sh`` copies
it from node_modules) when it is there, else as inline SVG drawn here. Both read the same chart
specifications, which are also embedded in the page as JSON (id ``chart-data``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

import openkam
from openkam.analyze import labels, svgcharts
from openkam.analyze.reading import Transactions
from openkam.analyze.results import AnalysisResult
from openkam.analyze.summary import decimal, integer, money, share, summary_rows
from openkam.analyze.values import column_values, plain

ECHARTS_PATH = Path(openkam.__file__).parent / "static" / "vendor" / "echarts" / "echarts.min.js"
TOP_CUSTOMERS = 20
REJECTED_SHOWN = 50


def write_report(
    path: Path, data: Transactions, result: AnalysisResult, *, echarts: Path | None = ECHARTS_PATH
) -> None:
    script = echarts.read_text(encoding="utf-8") if echarts and echarts.is_file() else None
    path.write_text(render(data, result, echarts_script=script), encoding="utf-8")


def render(data: Transactions, result: AnalysisResult, *, echarts_script: str | None) -> str:
    specs = chart_specs(result)
    context = {
        "language": translation.get_language() or "zh-hans",
        "file_name": data.source.path.name,
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "sections": summary_rows(data, result),
        "models": model_rows(result),
        "top_customers": customer_table(result, top_by(result, "clv")),
        "at_risk": customer_table(result, _at_risk(result)),
        "rejected": rejected_rows(data),
        "rejected_total": data.rows_rejected,
        "chart_specs": plain(specs),
        "charts": [
            {
                "id": spec["id"],
                "title": spec["title"],
                "svg": None if echarts_script else svg_chart(spec),
            }
            for spec in specs
        ],
        # The vendored ECharts build, inlined as it is: trusted code, not user input.
        "echarts_script": mark_safe(echarts_script) if echarts_script else None,
    }
    return render_to_string("analyze/report.html", context)


# --- tables --------------------------------------------------------------------------------------


def model_rows(result: AnalysisResult) -> list[dict[str, str]]:
    rows = []
    for name, report in result.models.items():
        errors = report.standard_errors
        params = ", ".join(
            f"{labels.parameter(key)} = {value:.3f} (± {errors.get(key, np.nan):.3f})"
            for key, value in report.params.items()
        )
        rows.append(
            {
                "model": labels.model(name),
                "params": params or "–",
                "log_likelihood": decimal(report.log_likelihood, 2),
                "customers": integer(report.n_customers),
                "error": report.error or "",
            }
        )
    return rows


def top_by(result: AnalysisResult, key: str, limit: int = TOP_CUSTOMERS) -> np.ndarray:
    """Positions of the customers with the largest values of a column, largest first."""
    values = np.nan_to_num(np.asarray(result.customers[key], dtype=float), nan=-np.inf)
    return np.argsort(-values, kind="stable")[:limit]


def _at_risk(result: AnalysisResult) -> np.ndarray:
    """The largest customers (by revenue) at high churn risk."""
    revenue = np.asarray(result.customers["revenue"], dtype=float)
    high = result.customers["churn_level"] == "high"
    ranked = np.argsort(-np.where(high, revenue, -np.inf), kind="stable")
    return ranked[: min(TOP_CUSTOMERS, int(high.sum()))]


CUSTOMER_TABLE: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("customer_id", str),
    ("revenue", money),
    ("x", integer),
    ("p_alive", share),
    ("expected_purchases", decimal),
    ("expected_spend", money),
    ("clv", money),
    ("abc_class", str),
    ("tier", labels.tier),
    ("churn_level", labels.churn_level),
)


def customer_table(
    result: AnalysisResult, order: np.ndarray, keys: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Headings and shown values of some customers (``order``): every column of CUSTOMER_TABLE
    or those in ``keys``."""
    columns = [
        (key, show)
        for key, show in CUSTOMER_TABLE
        if key in result.customers and (keys is None or key in keys)
    ]
    shown = [
        [_shown(show, value) for value in column_values(result.customers[key][order])]
        for key, show in columns
    ]
    return {
        "headings": [labels.column(key) for key, _show in columns],
        "rows": [list(row) for row in zip(*shown, strict=True)],
    }


def _shown(show: Callable[[Any], str], value: Any) -> str:
    return "–" if value is None else show(value)


def rejected_rows(data: Transactions) -> list[dict[str, Any]]:
    rows = data.rejected.head(REJECTED_SHOWN).to_dicts()
    for row in rows:
        row["reason"] = labels.rejection_reason(str(row["reason"]))
    return rows


# --- charts --------------------------------------------------------------------------------------


def chart_specs(result: AnalysisResult) -> list[dict[str, Any]]:
    specs = [pareto_spec(result), p_alive_spec(result), churn_spec(result)]
    if result.holdout is not None:
        specs += [holdout_frequency_spec(result), tracking_spec(result)]
    return specs


def pareto_spec(result: AnalysisResult) -> dict[str, Any]:
    names = {"revenue": _("revenue"), "profit": _("margin")}
    return {
        "id": "pareto",
        "kind": "line",
        "title": _("Pareto curve"),
        "x_label": _("share of customers (largest first)"),
        "y_label": _("cumulative share"),
        "percent": True,
        "series": [
            {"name": names[measure], "x": x, "values": y}
            for measure, (x, y) in result.pareto_curves.items()
        ],
    }


def p_alive_spec(result: AnalysisResult) -> dict[str, Any]:
    edges, counts = result.p_alive_histogram
    categories = [f"{lo:.0%}–{hi:.0%}" for lo, hi in itertools.pairwise(edges)]
    return {
        "id": "p_alive",
        "kind": "bar",
        "title": _("Distribution of the probability alive (%(model)s)")
        % {"model": labels.model(result.primary_model)},
        "x_label": _("probability alive"),
        "y_label": _("customers"),
        "categories": categories,
        "series": [{"name": _("customers"), "values": counts}],
    }


def churn_spec(result: AnalysisResult) -> dict[str, Any]:
    counts = result.churn.counts
    return {
        "id": "churn",
        "kind": "bar",
        "title": _("Churn risk"),
        "x_label": _("churn risk"),
        "y_label": _("customers"),
        "categories": [labels.churn_level(level) for level in counts],
        "series": [{"name": _("customers"), "values": list(counts.values())}],
    }


def holdout_frequency_spec(result: AnalysisResult) -> dict[str, Any]:
    holdout = result.holdout
    assert holdout is not None
    groups = holdout.by_frequency
    series = [{"name": _("actual"), "values": [g.actual_mean for g in groups]}]
    for model in holdout.expected_total:
        name = _("expected (%(model)s)") % {"model": labels.model(model)}
        series.append({"name": name, "values": [g.expected_mean[model] for g in groups]})
    return {
        "id": "holdout_by_frequency",
        "kind": "bar",
        "title": _("Holdout: repeat purchases per customer, actual and expected"),
        "x_label": _("repeat purchases in the calibration period"),
        "y_label": _("mean repeat purchases in the holdout"),
        "categories": [g.label for g in groups],
        "series": series,
    }


def tracking_spec(result: AnalysisResult) -> dict[str, Any]:
    holdout = result.holdout
    assert holdout is not None
    tracking = holdout.tracking
    series = [{"name": _("actual"), "values": tracking.actual}]
    for model, curve in tracking.expected.items():
        name = _("expected (%(model)s)") % {"model": labels.model(model)}
        series.append({"name": name, "values": curve})
    return {
        "id": "tracking",
        "kind": "time",
        "title": _("Cumulative repeat purchases, actual and expected"),
        "x_label": _("date"),
        "y_label": _("cumulative repeat purchases"),
        "dates": [day.isoformat() for day in tracking.dates],
        "calibration_end": result.as_of.isoformat(),
        "series": series,
    }


def svg_chart(spec: dict[str, Any]) -> SafeString:
    return mark_safe(_svg(spec))  # every text in it went through html.escape


def _svg(spec: dict[str, Any]) -> str:
    texts = {"title": spec["title"], "x_label": spec["x_label"], "y_label": spec["y_label"]}
    if spec["kind"] == "bar":
        series = [svgcharts.Series(s["name"], s["values"]) for s in spec["series"]]
        return svgcharts.bar_chart(spec["categories"], series, **texts)
    if spec["kind"] == "line":
        series = [svgcharts.Series(s["name"], s["values"], s["x"]) for s in spec["series"]]
        return svgcharts.line_chart(
            series, **texts, x_text=lambda v: f"{v:.0%}", y_text=lambda v: f"{v:.0%}"
        )
    days = [dt.date.fromisoformat(d).toordinal() for d in spec["dates"]]
    series = [svgcharts.Series(s["name"], s["values"], days) for s in spec["series"]]
    return svgcharts.line_chart(
        series, **texts, x_text=lambda v: dt.date.fromordinal(round(v)).isoformat()
    )
