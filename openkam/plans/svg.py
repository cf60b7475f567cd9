"""Charts of the printable plan drawn as SVG on the server: the risk heat map and the
objectives' progress bars. A PDF has no JavaScript, so ECharts cannot draw them; SVG keeps
the labels as real text (searchable, copyable) and scales without blur.

Pure functions: labels and numbers in, markup out; every text is escaped here, so a title
such as `<b>` prints as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
# Ratings from the mildest to the gravest, as the plan pages colour them.
RATING_FILL = {
    "caution": "#2fb344",
    "fix": "#f59f00",
    "significant": "#f76707",
    "show_stopper": "#d63939",
}
EMPTY_FILL = {
    "caution": "#e3f5e6",
    "fix": "#fdf0d5",
    "significant": "#fde5d5",
    "show_stopper": "#f9dcdc",
}
PROGRESS_FILL = {
    "achieved": "#206bc4",
    "on_track": "#2fb344",
    "behind": "#f76707",
    "not_measured": "#adb5bd",
}


@dataclass(frozen=True)
class HeatCell:
    count: int
    rating: str  # a Rating value: the cell's colour
    rating_label: str


@dataclass(frozen=True)
class HeatMap:
    """Rows from the highest impact down, columns from the lowest probability up."""

    cells: Sequence[Sequence[HeatCell]]
    row_labels: Sequence[str]  # impact levels, top row first
    column_labels: Sequence[str]  # probability levels, left first
    row_title: str
    column_title: str


def _text(x: float, y: float, value: str, *, size: float, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="{FONT}"{extra}>'
        f"{escape(value)}</text>"
    )


def heat_map_svg(heat: HeatMap, *, cell: float = 110, gutter: float = 90) -> str:
    """The 3x3 grid: each cell coloured by its rating (full when it holds risks, pale when
    empty) with its count and rating."""
    rows, columns = len(heat.cells), len(heat.column_labels)
    width = gutter + columns * cell + 4
    height = 24 + rows * cell + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
    ]
    parts.append(_text(gutter / 2, 16, heat.row_title, size=11, text_anchor="middle", fill="#555"))
    for r, row in enumerate(heat.cells):
        y = 24 + r * cell
        label_y = y + cell / 2 + 4
        parts.append(_text(gutter - 8, label_y, heat.row_labels[r], size=12, text_anchor="end"))
        for c, one in enumerate(row):
            x = gutter + c * cell
            fill = RATING_FILL if one.count else EMPTY_FILL
            ink = "#ffffff" if one.count else "#555555"
            parts.append(
                f'<rect x="{x + 2:.1f}" y="{y + 2:.1f}" width="{cell - 4:.1f}" '
                f'height="{cell - 4:.1f}" rx="4" fill="{fill.get(one.rating, "#eeeeee")}"/>'
            )
            parts.append(
                _text(
                    x + cell / 2,
                    y + cell / 2,
                    str(one.count),
                    size=26,
                    text_anchor="middle",
                    font_weight="bold",
                    fill=ink,
                )
            )
            parts.append(
                _text(
                    x + cell / 2,
                    y + cell / 2 + 24,
                    one.rating_label,
                    size=10,
                    text_anchor="middle",
                    fill=ink,
                )
            )
    bottom = 24 + rows * cell
    for c, label in enumerate(heat.column_labels):
        x = gutter + c * cell + cell / 2
        parts.append(_text(x, bottom + 16, label, size=12, text_anchor="middle"))
    centre = gutter + columns * cell / 2
    parts.append(
        _text(centre, bottom + 36, heat.column_title, size=11, text_anchor="middle", fill="#555")
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # of the way from baseline to target; None when not measured
    expected: float | None  # where the straight path stands today, 0..1
    progress: str  # a Progress value: the bar's colour
    caption: str  # what is printed at the bar's end ("64 %", "not measured yet")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_bars_svg(
    bars: Sequence[Bar], *, width: float = 640, label_width: float = 230, row: float = 26
) -> str:
    """One horizontal bar per objective, its length the share of the way done (capped at
    the end), with a tick where the straight path says it should be today."""
    track = width - label_width - 70
    height = row * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        parts.append(
            _text(
                label_width - 8, y + row / 2 + 2, _clip(bar.label, 18), size=11, text_anchor="end"
            )
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 5:.1f}" width="{track:.1f}" height="{row - 12:.1f}" '
            'fill="#f1f3f5" rx="2"/>'
        )
        if bar.share is not None:
            length = track * min(max(bar.share, 0.0), 1.0)
            fill = PROGRESS_FILL.get(bar.progress, "#adb5bd")
            parts.append(
                f'<rect x="{label_width}" y="{y + 5:.1f}" width="{length:.1f}" '
                f'height="{row - 12:.1f}" fill="{fill}" rx="2"/>'
            )
        if bar.expected is not None:
            tick = label_width + track * min(max(bar.expected, 0.0), 1.0)
            parts.append(
                f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{y + 2:.1f}" y2="{y + row - 4:.1f}" '
                'stroke="#1d273b" stroke-width="1.5"/>'
            )
        parts.append(
            _text(label_width + track + 6, y + row / 2 + 2, bar.caption, size=10, fill="#555")
        )
    parts.append("</svg>")
    return "".join(parts)
