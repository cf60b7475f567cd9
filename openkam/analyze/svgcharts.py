"""Small inline SVG charts for the HTML report when ECharts is not available (no CDN, ever).

Two kinds are enough: lines (Pareto curve, tracking of repeat purchases) and grouped bars
(P(alive) distribution, holdout by frequency). Coordinates are computed in numpy; the markup is
a handful of strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

COLOURS = ("#2f6db5", "#d9822b", "#3a9e5c", "#b5443a", "#7a5ab8")
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 20, 60
TICKS = 5


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    x: Sequence[float] | None = None  # line charts only


def nice_ticks(hi: float, count: int = TICKS) -> list[float]:
    """0 to at least ``hi`` in steps of 1, 2 or 5 times a power of ten: round tick labels."""
    if not np.isfinite(hi) or hi <= 0:
        return [0.0, 1.0]
    raw = hi / (count - 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    return [float(step * k) for k in range(int(np.ceil(hi / step - 1e-9)) + 1)]


def tick_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2g}"


def _scale(lo: float, hi: float, start: float, end: float) -> Callable[[float], float]:
    span = hi - lo if hi > lo else 1.0
    return lambda v: start + (v - lo) / span * (end - start)


def _frame(
    x_ticks: list[tuple[float, str]], y_ticks: list[tuple[float, str]], x_label: str, y_label: str
) -> list[str]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#888"/>',
    ]
    for x, text in x_ticks:
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    for y, text in y_ticks:
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<text x="{(LEFT + right) / 2:.0f}" y="{HEIGHT - 22}" font-size="12" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="14" y="{(TOP + bottom) / 2:.0f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {(TOP + bottom) / 2:.0f})">{escape(y_label)}</text>'
    )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    x = LEFT
    for k, name in enumerate(names):
        colour = COLOURS[k % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 3}" font-size="11">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return parts


def _svg(parts: list[str], title: str) -> str:
    body = "".join(parts)
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart"><title>{escape(title)}</title>{body}</svg>'
    )


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_text: Callable[[float], str] = lambda v: f"{v:g}",
    y_text: Callable[[float], str] = tick_text,
) -> str:
    xs = np.concatenate([np.asarray(s.x, dtype=float) for s in series if s.x is not None])
    ys = np.concatenate([np.asarray(s.values, dtype=float) for s in series])
    ys = ys[np.isfinite(ys)]
    x_lo, x_hi = float(xs.min()), float(xs.max())
    ticks = nice_ticks(float(ys.max(initial=0.0)))
    sx = _scale(x_lo, x_hi, LEFT, WIDTH - RIGHT)
    sy = _scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    x_ticks = [(sx(v), x_text(v)) for v in np.linspace(x_lo, x_hi, TICKS)]
    y_ticks = [(sy(v), y_text(v)) for v in ticks]
    parts = _frame(x_ticks, y_ticks, x_label, y_label)
    for k, s in enumerate(series):
        x = np.asarray(s.x, dtype=float)
        y = np.asarray(s.values, dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        points = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x[keep], y[keep], strict=True))
        colour = COLOURS[k % len(COLOURS)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
    return _svg(parts + _legend([s.name for s in series]), title)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_text: Callable[[float], str] = tick_text,
) -> str:
    values = np.array([np.asarray(s.values, dtype=float) for s in series])
    finite = values[np.isfinite(values)]
    ticks = nice_ticks(float(finite.max()) if finite.size else 1.0)
    sy = _scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    slot = (WIDTH - RIGHT - LEFT) / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    x_ticks = [(LEFT + slot * (i + 0.5), c) for i, c in enumerate(categories)]
    y_ticks = [(sy(v), y_text(v)) for v in ticks]
    parts = _frame(x_ticks, y_ticks, x_label, y_label)
    for k, row in enumerate(values):
        colour = COLOURS[k % len(COLOURS)]
        for i, v in enumerate(row):
            if not np.isfinite(v):
                continue
            x = LEFT + slot * i + slot * 0.1 + bar * k
            top = sy(float(v))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" '
                f'height="{HEIGHT - BOTTOM - top:.1f}" fill="{colour}"/>'
            )
    return _svg(parts + _legend([s.name for s in series]), title)
