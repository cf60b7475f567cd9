"""The plan of the customer base: who each account is and how it buys and pays, as arrays.

Everything the ledger and the profiles need is drawn here, vectorised, from one seeded
generator; names and texts come later from these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from openkam.demo.catalogue import CITIES, SEGMENT_INDEX, SEGMENTS
from openkam.demo.dates import Window


class Behaviour(IntEnum):
    """How an account's purchases move over the window (drives lifecycle stages)."""

    PROSPECT = 0  # no purchase yet: identification
    NEW = 1  # started buying in the last two years: relationship building
    GROWING = 2
    STABLE = 3
    DECLINING = 4
    CHURNED = 5  # stopped buying some months before today
    RETURNING = 6  # paused for months and came back: win-back


BEHAVIOUR_SHARE = {
    Behaviour.PROSPECT: 0.03,
    Behaviour.NEW: 0.10,
    Behaviour.GROWING: 0.20,
    Behaviour.STABLE: 0.40,
    Behaviour.DECLINING: 0.13,
    Behaviour.CHURNED: 0.10,
    Behaviour.RETURNING: 0.04,
}

# Account sizes are lognormal: with this spread and the segment factors, the top 20% of
# accounts buy about three quarters of the revenue (the 二八 rule of the sources).
MEDIAN_ANNUAL_REVENUE = 700_000.0
SIZE_SIGMA = 1.45
MONTHLY_NOISE_SIGMA = 0.35
PRICE_PRESSED_SHARE = 0.08
MAX_DISCOUNT = 0.34


@dataclass
class AccountPlan:
    segment: NDArray[np.int64]
    city: NDArray[np.int64]
    size: NDArray[np.float64]  # annual revenue run-rate at its peak activity, CNY
    size_rank: NDArray[np.float64]  # 0 smallest .. 1 largest
    behaviour: NDArray[np.int64]
    growth: NDArray[np.float64]  # log growth per year
    first_month: NDArray[np.int64]  # first month index with purchases
    last_month: NDArray[np.int64]  # last month index with purchases (inclusive)
    pause_from: NDArray[np.int64]  # returning accounts buy nothing in [pause_from, pause_to)
    pause_to: NDArray[np.int64]
    late_payer: NDArray[np.bool_]
    late_days: NDArray[np.float64]  # mean days past due of a late payer
    bad_debt_share: NDArray[np.float64]  # share of invoices never paid
    payment_terms: NDArray[np.int64]
    discount: NDArray[np.float64]  # off list price
    lines_per_order: NDArray[np.float64]
    purchase_share: NDArray[np.float64]  # share of months with a purchase
    monthly_invoicing: NDArray[np.bool_]  # on monthly settlement (月结) rather than per order
    product_taste: NDArray[np.int64]  # picks the usual variant in each product family
    parent: NDArray[np.int64]  # index of the parent account, -1 for none
    depth: NDArray[np.int64]  # 0 for a top-level account
    group: NDArray[np.int64]  # index of the group, -1 for none
    position: NDArray[np.str_]  # accounts.models.IndustryPosition value
    lifecycle: NDArray[np.str_]
    relationship: NDArray[np.str_]
    customer_since: NDArray[np.datetime64]

    @property
    def n(self) -> int:
        return int(self.segment.size)


def _choice(rng: np.random.Generator, weights: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    return rng.choice(weights.size, size=n, p=weights / weights.sum()).astype(np.int64)


def _rank(values: NDArray[np.float64]) -> NDArray[np.float64]:
    order = np.argsort(values, kind="stable")
    rank = np.empty(values.size)
    rank[order] = np.arange(values.size) / max(values.size - 1, 1)
    return rank


def _behaviours(rng: np.random.Generator, n: int, n_months: int) -> NDArray[np.int64]:
    shares = np.array([BEHAVIOUR_SHARE[b] for b in Behaviour])
    behaviour = _choice(rng, shares, n)
    # Short windows cannot show a churn gap, a return or a ramp-up: those become stable.
    if n_months < 10:
        short = np.isin(behaviour, [Behaviour.CHURNED, Behaviour.RETURNING, Behaviour.NEW])
        behaviour[short] = Behaviour.STABLE
    return behaviour


def _activity(
    rng: np.random.Generator, behaviour: NDArray[np.int64], n_months: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    n = behaviour.size
    last = n_months - 1
    first_month = np.zeros(n, dtype=np.int64)
    last_month = np.full(n, last, dtype=np.int64)
    pause_from = np.zeros(n, dtype=np.int64)
    pause_to = np.zeros(n, dtype=np.int64)
    new = behaviour == Behaviour.NEW
    first_month[new] = last - rng.integers(2, min(24, n_months - 2) + 1, new.sum())
    churned = behaviour == Behaviour.CHURNED
    last_month[churned] = last - rng.integers(4, max(min(18, n_months - 4), 4) + 1, churned.sum())
    returning = behaviour == Behaviour.RETURNING
    pause_to[returning] = last - rng.integers(1, 4, returning.sum())
    pause_from[returning] = pause_to[returning] - rng.integers(4, 10, returning.sum())
    pause_from = np.maximum(pause_from, 0)
    last_month[behaviour == Behaviour.PROSPECT] = -1
    return first_month, last_month, pause_from, pause_to


def _growth(rng: np.random.Generator, behaviour: NDArray[np.int64]) -> NDArray[np.float64]:
    n = behaviour.size
    growth = rng.normal(0.0, 0.04, n)
    growing = behaviour == Behaviour.GROWING
    growth[growing] = rng.uniform(0.12, 0.45, growing.sum())
    declining = (behaviour == Behaviour.DECLINING) | (behaviour == Behaviour.CHURNED)
    growth[declining] = rng.uniform(-0.45, -0.08, declining.sum())
    new = behaviour == Behaviour.NEW
    growth[new] = rng.uniform(0.0, 0.3, new.sum())
    return growth


def _groups(
    rng: np.random.Generator, size: NDArray[np.float64], behaviour: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Group hierarchies up to three levels: parent company, subsidiary, sub-subsidiary."""
    n = size.size
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    group = np.full(n, -1, dtype=np.int64)
    n_groups = round(n * 0.035)
    if n < 10 or n_groups < 1:
        return parent, depth, group
    buyers = np.flatnonzero(behaviour != Behaviour.PROSPECT)
    weight = np.sqrt(size[buyers])
    roots = rng.choice(buyers, size=n_groups, replace=False, p=weight / weight.sum())
    others = np.setdiff1d(np.arange(n), roots)
    n_members = min(max(round(n * 0.16), 2 * n_groups), others.size)
    members = rng.permutation(others)[:n_members]
    # Bigger groups have more subsidiaries; every group gets at least one.
    root_weight = np.sqrt(size[roots])
    extra = rng.multinomial(n_members - n_groups, root_weight / root_weight.sum())
    counts = extra + 1
    # The largest group always reaches the third level, so every demo shows a deep tree.
    counts[np.argmax(counts)] = max(counts.max(), 3)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for g, root in enumerate(roots):
        group_members = members[starts[g] : min(starts[g + 1], n_members)]
        if group_members.size == 0:
            continue
        group[root] = g
        group[group_members] = g
        n_first = max(1, int(np.ceil(group_members.size * 0.6)))
        first_level, second_level = group_members[:n_first], group_members[n_first:]
        parent[first_level] = root
        depth[first_level] = 1
        if second_level.size:
            parent[second_level] = rng.choice(first_level, size=second_level.size)
            depth[second_level] = 2
    return parent, depth, group


def _positions(rng: np.random.Generator, rank: NDArray[np.float64]) -> NDArray[np.str_]:
    jitter = rank + rng.normal(0.0, 0.03, rank.size)
    position = np.full(rank.size, "small", dtype="<U7")
    position[jitter > 0.65] = "mid"
    position[jitter > 0.95] = "leader"
    unknown = (rank < 0.5) & (rng.random(rank.size) < 0.08)
    position[unknown] = "unknown"
    return position


def _lifecycle(
    behaviour: NDArray[np.int64], growth: NDArray[np.float64], gap: NDArray[np.int64]
) -> NDArray[np.str_]:
    stage = np.full(behaviour.size, "maintenance", dtype="<U14")
    stage[behaviour == Behaviour.PROSPECT] = "identification"
    stage[behaviour == Behaviour.NEW] = "building"
    stage[behaviour == Behaviour.GROWING] = "deepening"
    stage[(behaviour == Behaviour.DECLINING) & (growth < -0.25)] = "churn_warning"
    churned = behaviour == Behaviour.CHURNED
    stage[churned] = np.where(gap[churned] >= 9, "lost", "churn_warning")
    stage[behaviour == Behaviour.RETURNING] = "win_back"
    return stage


def _relationship(
    rng: np.random.Generator, behaviour: NDArray[np.int64], rank: NDArray[np.float64]
) -> NDArray[np.str_]:
    score = rank + rng.normal(0.0, 0.08, rank.size)
    stage = np.full(rank.size, "pre", dtype="<U11")
    stage[score > 0.2] = "early"
    stage[score > 0.6] = "mid"
    stage[score > 0.9] = "partnership"
    stage[score > 0.985] = "synergistic"
    stage[behaviour == Behaviour.PROSPECT] = "pre"
    new = behaviour == Behaviour.NEW
    stage[new] = np.where(rng.random(new.sum()) < 0.7, "early", "pre")
    return stage


def _customer_since(
    rng: np.random.Generator,
    window: Window,
    behaviour: NDArray[np.int64],
    first_month: NDArray[np.int64],
) -> NDArray[np.datetime64]:
    n = behaviour.size
    start = np.datetime64(window.start, "D")
    since = start - rng.integers(30, 365 * 12, n).astype("timedelta64[D]")
    new = behaviour == Behaviour.NEW
    first_day = window.month_start_day[first_month[new]]
    since[new] = start + first_day.astype("timedelta64[D]")
    since[behaviour == Behaviour.PROSPECT] = np.datetime64("NaT")
    return since


def make_plan(rng: np.random.Generator, n: int, window: Window) -> AccountPlan:
    segment_share = np.array([segment.share for segment in SEGMENTS])
    segment = _choice(rng, segment_share, n)
    city = _choice(rng, np.array([city.weight for city in CITIES]), n)
    factor = np.array([segment.size_factor for segment in SEGMENTS])[segment]
    size = MEDIAN_ANNUAL_REVENUE * factor * rng.lognormal(0.0, SIZE_SIGMA, n)
    rank = _rank(size)
    behaviour = _behaviours(rng, n, window.n_months)
    first_month, last_month, pause_from, pause_to = _activity(rng, behaviour, window.n_months)
    growth = _growth(rng, behaviour)
    parent, depth, group = _groups(rng, size, behaviour)
    segment = _group_segments(rng, segment, parent, group)
    late_share = np.array([s.late_payer_share for s in SEGMENTS])[segment]
    late_payer = rng.random(n) < late_share
    bad_debt = np.where(late_payer & (rng.random(n) < 0.3), rng.uniform(0.03, 0.15, n), 0.0)
    payment_terms = _segment_terms(rng, segment)
    lines_per_order = np.array([s.lines_per_order for s in SEGMENTS])[segment]
    gap = window.n_months - 1 - last_month
    return AccountPlan(
        segment=segment,
        city=city,
        size=size,
        size_rank=rank,
        behaviour=behaviour,
        growth=growth,
        first_month=first_month,
        last_month=last_month,
        pause_from=pause_from,
        pause_to=pause_to,
        late_payer=late_payer,
        late_days=rng.uniform(15.0, 75.0, n),
        bad_debt_share=bad_debt,
        payment_terms=payment_terms,
        discount=_discounts(rng, rank),
        # Big customers order per project (a building's worth of parts), small ones per repair.
        lines_per_order=np.clip(lines_per_order * (0.7 + 1.2 * rank), 1.2, 18.0),
        purchase_share=np.clip(0.15 + 0.85 * rank**2 + rng.normal(0.0, 0.06, n), 0.12, 1.0),
        # Regular customers settle monthly against a statement (月结); the smallest per order.
        monthly_invoicing=(rank > 0.25) & (rng.random(n) < 0.9),
        product_taste=rng.integers(0, 1_000_000, n),
        parent=parent,
        depth=depth,
        group=group,
        position=_positions(rng, rank),
        lifecycle=_lifecycle(behaviour, growth, gap),
        relationship=_relationship(rng, behaviour, rank),
        customer_since=_customer_since(rng, window, behaviour, first_month),
    )


def _discounts(rng: np.random.Generator, rank: NDArray[np.float64]) -> NDArray[np.float64]:
    """Off list price: a few percent for small buyers, up to about a quarter for the biggest
    (their buyers press hardest: the lowest margins sit on the strategic accounts); and some
    accounts, won in a tender or held against a competitor, at a price that leaves them
    loss-making once the cost to serve is counted."""
    n = rank.size
    discount = 0.02 + 0.22 * rank**2.5 + rng.normal(0.0, 0.02, n)
    pressed = rng.random(n) < PRICE_PRESSED_SHARE
    discount += np.where(pressed, rng.uniform(0.10, 0.18, n), 0.0)
    return np.clip(discount, 0.0, MAX_DISCOUNT)


def _group_segments(
    rng: np.random.Generator,
    segment: NDArray[np.int64],
    parent: NDArray[np.int64],
    group: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Subsidiaries mostly share the group's trade; some are in the related one (a developer's
    property-management arm, an elevator maker's installation company)."""
    segment = segment.copy()
    members = np.flatnonzero(parent >= 0)
    roots = np.flatnonzero((group >= 0) & (parent < 0))
    root_of_group = np.full(group.max() + 1 if group.size and group.max() >= 0 else 0, -1)
    root_of_group[group[roots]] = roots
    root_segment = segment[root_of_group[group[members]]]
    related = np.array([SEGMENT_INDEX[s.related] for s in SEGMENTS])[root_segment]
    segment[members] = np.where(rng.random(members.size) < 0.65, root_segment, related)
    return segment


def _segment_terms(rng: np.random.Generator, segment: NDArray[np.int64]) -> NDArray[np.int64]:
    terms = np.zeros(segment.size, dtype=np.int64)
    for index, info in enumerate(SEGMENTS):
        mine = segment == index
        terms[mine] = rng.choice(np.array(info.payment_terms), size=int(mine.sum()))
    return terms


def monthly_revenue(
    rng: np.random.Generator, plan: AccountPlan, window: Window
) -> NDArray[np.float64]:
    """Expected revenue per account (rows) and month (columns), CNY."""
    months = np.arange(window.n_months)
    years_to_end = (months - (window.n_months - 1)) / 12.0
    level = np.exp(plan.growth[:, None] * years_to_end[None, :])
    # Churned accounts are measured at the level they had when they stopped.
    churned = plan.behaviour == Behaviour.CHURNED
    stop_years = (plan.last_month[churned] - (window.n_months - 1)) / 12.0
    level[churned] /= np.exp(plan.growth[churned] * stop_years)[:, None]
    ramp = 1.0 - np.exp(-(months[None, :] - plan.first_month[:, None] + 1) / 3.0)
    level *= np.where(plan.behaviour[:, None] == Behaviour.NEW, np.clip(ramp, 0.0, 1.0), 1.0)
    active = (months[None, :] >= plan.first_month[:, None]) & (
        months[None, :] <= plan.last_month[:, None]
    )
    active &= ~(
        (months[None, :] >= plan.pause_from[:, None]) & (months[None, :] < plan.pause_to[:, None])
    )
    # Small customers buy in some months only (and more per purchase); big ones every month.
    buys = rng.random(level.shape) < plan.purchase_share[:, None]
    # An account active in the window buys at least once, in its last active month: a churned
    # account is then seen to stop, rather than having bought nothing (small ones buy in a few
    # months only, and a short active spell can draw none).
    never = active.any(axis=1) & ~(active & buys).any(axis=1)
    last_active = active.shape[1] - 1 - np.argmax(active[:, ::-1], axis=1)
    buys[never, last_active[never]] = True
    noise = rng.lognormal(-(MONTHLY_NOISE_SIGMA**2) / 2, MONTHLY_NOISE_SIGMA, level.shape)
    monthly = plan.size / 12.0 / plan.purchase_share
    revenue = monthly[:, None] * level * window.month_weight[None, :] * noise
    return np.where(active & buys, revenue, 0.0)


def allocate_lines(
    rng: np.random.Generator, revenue: NDArray[np.float64], total_lines: int
) -> NDArray[np.int32]:
    """Exactly `total_lines` order lines over the account-months that buy. Lines grow slower
    than revenue (a bigger customer buys more per line, not only more lines)."""
    weight = np.power(revenue.ravel(), 0.65)
    cells = np.flatnonzero(weight > 0)
    lines = np.zeros(revenue.size, dtype=np.int32)
    if cells.size and total_lines > 0:
        p = weight[cells] / weight[cells].sum()
        lines[cells] = rng.multinomial(total_lines, p)
    return lines.reshape(revenue.shape)
