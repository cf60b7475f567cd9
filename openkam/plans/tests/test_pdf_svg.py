"""The PDF's charts as SVG: well-formed, every text escaped, bars capped at the track, the
heat map coloured by rating and full only where risks are; and share_done, the bar's length."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from openkam.plans.models import Objective
from openkam.plans.pdf import share_done
from openkam.plans.svg import (
    EMPTY_FILL,
    RATING_FILL,
    Bar,
    HeatCell,
    HeatMap,
    heat_map_svg,
    progress_bars_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def texts(root: ET.Element) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}text")]


def test_heat_map_fills_cells_holding_risks_and_escapes_labels() -> None:
    ratings = [["fix", "significant", "show_stopper"]] * 3
    cells = [
        [
            HeatCell(1 if (r, c) == (0, 2) else 0, rating, f"<{rating}>")
            for c, rating in enumerate(row)
        ]
        for r, row in enumerate(ratings)
    ]
    root = parsed(
        heat_map_svg(HeatMap(cells, ["高", "中", "低"], ["低", "中", "高"], "影响", "可能性"))
    )
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert len(fills) == 9
    assert fills[2] == RATING_FILL["show_stopper"]
    assert fills[0] == EMPTY_FILL["fix"]
    labels = texts(root)
    assert "<show_stopper>" in labels  # escaped in the markup, read back as typed
    assert {"影响", "可能性", "高", "低"} <= set(labels)


def test_bars_are_capped_at_the_track_and_unmeasured_ones_have_no_bar() -> None:
    bars = [
        Bar("超额完成的目标", 1.8, 0.5, "achieved", "180 %"),
        Bar("倒退的目标", -0.4, 0.5, "behind", "-40 %"),
        Bar("未测量", None, None, "not_measured", "Not measured yet"),
    ]
    root = parsed(progress_bars_svg(bars, width=600, label_width=200))
    rects = list(root.iter(f"{SVG}rect"))
    track = float(rects[0].get("width", "0"))
    assert float(rects[1].get("width", "0")) == pytest.approx(track)  # 180 % fills the track
    assert float(rects[3].get("width", "0")) == 0  # below the baseline: empty, not negative
    assert len(rects) == 5  # three tracks, two bars
    assert len(list(root.iter(f"{SVG}line"))) == 2
    assert "180 %" in texts(root)


def _objective(metric: str, **figures: Decimal | None) -> Objective:
    return Objective(
        metric=metric,
        description="x",
        starts_on=dt.date(2026, 1, 1),
        due_on=dt.date(2026, 12, 31),
        **figures,
    )


@pytest.mark.parametrize(
    ("metric", "baseline", "target", "actual", "share"),
    [
        ("revenue", "1000000", "1200000", "600000", 0.5),  # revenue counts from zero
        ("gross_margin", "18", "22", "19", 0.25),
        ("share_of_wallet", "40", "30", "35", 0.5),  # a target below the baseline
        ("gross_margin", "18", "22", None, None),
        ("free_text", None, None, None, None),
    ],
)
def test_share_done_is_the_way_covered_from_the_start_to_the_target(
    metric: str, baseline: str | None, target: str | None, actual: str | None, share: float | None
) -> None:
    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    objective = _objective(
        metric, baseline=number(baseline), target=number(target), actual=number(actual)
    )
    assert share_done(objective) == share
