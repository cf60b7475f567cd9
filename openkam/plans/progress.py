"""How far an objective has come: pure rules, numbers in and a verdict out.

An objective runs from `starts_on` to `due_on` and moves a figure from its baseline to its
target. Two kinds of figures:

- cumulative (revenue in the plan period): it starts at nothing and adds up, so by a given day
  the target is owed pro rata to the time elapsed (seasonality is not guessed at);
- levels (margin rate, share of wallet, relationship stage, functions meeting): the path is the
  straight line from baseline to target.

A target below the baseline (fewer days of overdue payment, say) is reached by going down: the
comparisons flip. An objective is achieved once the actual reaches the target, on track while
the actual is at least the path's value less a tolerance (5 % of the distance to cover, so a
figure a hair under the line is not flagged), behind otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.plans.models import Progress

TOLERANCE = Decimal("0.05")


def elapsed_share(starts_on: dt.date, due_on: dt.date, as_of: dt.date) -> Decimal:
    """The share of the objective's time gone by on `as_of`, between 0 and 1."""
    span = (due_on - starts_on).days
    if span <= 0:
        return Decimal(1)
    done = (min(max(as_of, starts_on), due_on) - starts_on).days
    return Decimal(done) / Decimal(span)


def expected_by(
    *,
    baseline: Decimal,
    target: Decimal,
    starts_on: dt.date,
    due_on: dt.date,
    as_of: dt.date,
    cumulative: bool,
) -> Decimal:
    """The value the figure should have reached by `as_of` on the straight path."""
    share = elapsed_share(starts_on, due_on, as_of)
    if cumulative:
        return target * share
    return baseline + (target - baseline) * share


def progress_of(
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    starts_on: dt.date,
    due_on: dt.date,
    as_of: dt.date,
    cumulative: bool,
) -> Progress:
    """Achieved, on track or behind; not measured while a figure is missing."""
    if target is None or actual is None:
        return Progress.NOT_MEASURED
    start = Decimal(0) if cumulative else baseline
    if start is None:
        return Progress.NOT_MEASURED
    rising = target >= start
    sign = Decimal(1) if rising else Decimal(-1)
    if sign * (actual - target) >= 0:
        return Progress.ACHIEVED
    path = expected_by(
        baseline=start,
        target=target,
        starts_on=starts_on,
        due_on=due_on,
        as_of=as_of,
        cumulative=cumulative,
    )
    slack = abs(target - start) * TOLERANCE
    if sign * (actual - path) >= -slack:
        return Progress.ON_TRACK
    return Progress.BEHIND
