"""What the ledger implies about the market and the cost of serving each account: share of
wallet, competitors at the account, costs to serve. All follow the revenue actually generated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from openkam.common.bulk import Const
from openkam.demo.catalogue import COMPETITORS, FAMILIES, FAMILY_INDEX, SEGMENTS
from openkam.demo.plan import Behaviour
from openkam.demo.profile import FactContext, Table, _sourced
from openkam.demo.text_columns import numbered
from openkam.demo.texts import COST_NOTES

SHARE_BY_STAGE = {"pre": 0.15, "early": 0.3, "mid": 0.45, "partnership": 0.6, "synergistic": 0.75}
LOAN_PRIME_RATE = 0.0385  # one-year LPR: what receivables cost to finance


def our_share_of_wallet(rng: np.random.Generator, ctx: FactContext) -> NDArray[np.float64]:
    """Our share of the account's spend in our category, higher with a deeper relationship."""
    base = np.array([SHARE_BY_STAGE[str(stage)] for stage in ctx.plan.relationship])
    return np.clip(base + rng.normal(0.0, 0.1, ctx.plan.n), 0.05, 0.95)


def wallet_estimates(
    rng: np.random.Generator,
    ctx: FactContext,
    revenue_by_year: NDArray[np.int64],
    share: NDArray[np.float64],
    first_id: int,
) -> Table:
    """Category spend per account and year it bought in; prospects get this year's estimate."""
    years = np.array(ctx.window.years)
    account, year_index = np.nonzero(revenue_by_year > 0)
    spend = revenue_by_year[account, year_index] / 100.0
    spend = spend / np.clip(share[account] + rng.normal(0.0, 0.03, account.size), 0.05, 0.95)
    prospects = np.flatnonzero(ctx.plan.behaviour == Behaviour.PROSPECT)
    account = np.concatenate([account, prospects])
    year_index = np.concatenate([year_index, np.full(prospects.size, years.size - 1)])
    spend = np.concatenate([spend, ctx.plan.size[prospects]])
    table = _sourced(rng, ctx, account, first_id)
    table["year"] = years[year_index]
    table["category_spend"] = np.maximum(np.round(spend, -4), 10_000.0)
    table["currency"] = Const("CNY")
    return table


def competitor_presence(
    rng: np.random.Generator,
    ctx: FactContext,
    share: NDArray[np.float64],
    competitor_ids: NDArray[np.int64],
    first_id: int,
) -> Table:
    """One to three competitors at most accounts, splitting the wallet we do not have."""
    plan = ctx.plan
    drawn = np.round(0.5 + 2.5 * plan.size_rank + rng.normal(0.0, 0.7, plan.n))
    k = np.clip(drawn, 0, 3).astype(np.int64)
    account = np.repeat(np.arange(plan.n), k)
    position = np.arange(account.size) - np.repeat(np.cumsum(k) - k, k)
    # A random ranking of the competitors per account: the first k are present.
    ranking = np.argsort(rng.random((plan.n, len(COMPETITORS))), axis=1)
    competitor = ranking[account, position]
    draws = rng.dirichlet(np.ones(3), plan.n)
    present_total = np.cumsum(draws, axis=1)[np.arange(plan.n), np.maximum(k - 1, 0)]
    split = draws[account, position] / present_total[account]
    percent = np.round((1.0 - share[account]) * split * 90.0, 2)
    table = _sourced(rng, ctx, account, first_id)
    table["competitor_id"] = competitor_ids[competitor]
    table["products"] = [
        "、".join(FAMILIES[FAMILY_INDEX[f]].name for f in COMPETITORS[c].families)
        for c in competitor
    ]
    table["share_of_wallet"] = percent
    return table


def costs_to_serve(
    rng: np.random.Generator,
    ctx: FactContext,
    revenue_by_year: NDArray[np.int64],
    first_id: int,
) -> Table:
    """Direct (freight, installation support, rebates) and indirect (account team, service,
    receivables financing, training) costs per account and year it bought in."""
    plan = ctx.plan
    years = np.array(ctx.window.years)
    account, year_index = np.nonzero(revenue_by_year > 0)
    revenue = revenue_by_year[account, year_index] / 100.0
    n = account.size
    installs = np.isin(
        np.array([s.key for s in SEGMENTS])[plan.segment[account]],
        ["oem", "installer", "developer"],
    )
    terms = plan.payment_terms[account] + np.where(
        plan.late_payer[account], plan.late_days[account], 0.0
    )
    trains = rng.random(n) < 0.4
    # Small accounts are costed coarsely: freight, the account team and, for slow payers,
    # financing; the other categories only show up where they are material.
    material = revenue >= 1_000_000
    # The account team's time is partly a fixed cost per account and year, whatever it buys:
    # what leaves the smallest accounts loss-making once it is counted.
    account_team = rng.uniform(8_000, 24_000, n) + revenue * rng.uniform(0.005, 0.012, n)
    rows = [
        ("direct", "freight", revenue * rng.uniform(0.015, 0.035, n), np.ones(n, bool)),
        ("direct", "installation", revenue * rng.uniform(0.005, 0.02, n), installs & material),
        ("direct", "rebate", revenue * rng.uniform(0.01, 0.03, n), revenue >= 5_000_000),
        ("indirect", "sales", account_team, np.ones(n, bool)),
        ("indirect", "service", revenue * rng.uniform(0.005, 0.015, n), material),
        (
            "indirect",
            "financing",
            revenue * terms / 365.0 * LOAN_PRIME_RATE,
            material | plan.late_payer[account],
        ),
        ("indirect", "training", rng.uniform(5_000, 30_000, n), trains & (revenue > 1_000_000)),
    ]
    category_index, amounts, owners = [], [], []
    for index, (_kind, _category, amount, mask) in enumerate(rows):
        category_index.append(np.full(int(mask.sum()), index))
        amounts.append(np.round(amount[mask], 2))
        owners.append(np.flatnonzero(mask))
    row = np.concatenate(owners)
    order = np.argsort(row, kind="stable")
    row = row[order]
    category = np.concatenate(category_index)[order]
    ids = first_id + np.arange(row.size, dtype=np.int64)
    return {
        "id": ids,
        "source": Const("demo-erp"),
        "external_id": numbered("CTS", ids, 9),
        "account_id": ctx.account_ids[account[row]],
        "year": years[year_index[row]],
        "kind": np.array([r[0] for r in rows])[category],
        "category": np.array([r[1] for r in rows])[category],
        "amount": np.concatenate(amounts)[order],
        "currency": Const("CNY"),
        "note": np.array([COST_NOTES[r[1]] for r in rows])[category],
    }
