"""Profile facts (DOMAIN §3): owners, officers, business units, sites, events, financials,
outlook, budget cycle and needs. Bigger accounts are better known: a top OEM has a full
profile, a small installer a budget cycle at most.

Each function returns the columns of one table for every account that gets rows; ids start
at `first_id`. Text is assembled per fact row (tens of thousands, not ledger-sized).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openkam.common.bulk import Column
from openkam.demo.catalogue import CITIES, SEGMENTS
from openkam.demo.dates import Window
from openkam.demo.people import person_names
from openkam.demo.plan import AccountPlan
from openkam.demo.texts import (
    BUSINESS_UNIT_NOTES,
    BUSINESS_UNITS,
    CREDIT_RATINGS,
    EVENTS,
    NEED_TEXTS,
    OFFICER_TITLES,
    OUTLOOK,
    SOURCES,
)

Table = dict[str, Column]


@dataclass(frozen=True)
class FactContext:
    plan: AccountPlan
    window: Window
    account_ids: NDArray[np.int64]
    legal_names: list[str]
    short_names: list[str]
    addresses: list[str]
    stamp: np.datetime64  # created_at / updated_at of every fact


def _sourced(
    rng: np.random.Generator, ctx: FactContext, account: NDArray[np.int64], first_id: int
) -> Table:
    """id, account, timestamps, source and as-of date shared by every fact table."""
    n = account.size
    end = np.datetime64(ctx.window.end, "D")
    return {
        "id": first_id + np.arange(n, dtype=np.int64),
        "account_id": ctx.account_ids[account],
        "created_at": np.full(n, ctx.stamp),
        "updated_at": np.full(n, ctx.stamp),
        "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
        "as_of": end - rng.integers(0, 365, n).astype("timedelta64[D]"),
    }


def _repeat(counts: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(account index, position within the account) for `counts` rows per account."""
    account = np.repeat(np.arange(counts.size), counts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return account, np.arange(account.size) - np.repeat(starts, counts)


def _counts(
    rng: np.random.Generator, rank: NDArray[np.float64], above: float, low: int, high: int
) -> NDArray[np.int64]:
    """low..high rows for accounts ranked above `above`, more for the bigger ones."""
    share = np.clip((rank - above) / max(1.0 - above, 1e-9), 0.0, 1.0)
    count = np.round(low + (high - low) * share * rng.uniform(0.5, 1.2, rank.size))
    return np.where(rank > above, np.clip(count, low, high), 0).astype(np.int64)


def locations(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    plan = ctx.plan
    counts = _counts(rng, plan.size_rank, 0.3, 1, 5)
    account, position = _repeat(counts)
    kinds = np.array(["plant", "dc", "rnd", "office", "project"])
    kind = np.where(position == 0, "hq", kinds[rng.integers(0, kinds.size, account.size)])
    weights = np.array([city.weight for city in CITIES])
    city = np.where(
        position == 0,
        plan.city[account],
        rng.choice(len(CITIES), size=account.size, p=weights / weights.sum()),
    )
    label = {"hq": "总部", "plant": "生产基地", "dc": "仓储中心", "rnd": "研发中心"}
    label |= {"office": "办事处", "project": "项目部"}
    names, provinces, cities, addresses = [], [], [], []
    for a, k, c, p in zip(account, kind, city, position, strict=True):
        info = CITIES[int(c)]
        names.append(f"{ctx.short_names[a]}{info.short if p else ''}{label[str(k)]}")
        provinces.append(info.province)
        cities.append(info.name)
        addresses.append(ctx.addresses[a] if p == 0 else "")
    table = _sourced(rng, ctx, account, first_id)
    table |= {"kind": kind, "name": names, "province": provinces, "city": cities}
    table["address"] = addresses
    return table


def shareholders(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    """The parent company for subsidiaries, the state for state-owned firms, else a founder
    who is the actual controller (实际控制人), a co-founder, a fund and an employee platform."""
    plan = ctx.plan
    known = (plan.size_rank > 0.5) | (plan.parent >= 0)
    state_owned = np.isin(
        np.array([s.key for s in SEGMENTS])[plan.segment], ["rail", "developer"]
    ) & (rng.random(plan.n) < 0.4)
    counts = np.where(known, rng.integers(2, 5, plan.n), 0).astype(np.int64)
    account, position = _repeat(counts)
    people = person_names(rng, account.size)
    main_share = np.round(rng.uniform(51.0, 75.0, account.size), 2)
    names, kinds, shares, controller = [], [], [], []
    row: tuple[str, str, float | None, bool]
    for i, (a, p) in enumerate(zip(account, position, strict=True)):
        parent = int(plan.parent[a])
        if p == 0 and parent >= 0:
            row = (ctx.legal_names[parent], "company", float(main_share[i]), False)
        elif p == 0 and state_owned[a]:
            city = CITIES[int(plan.city[a])].name
            row = (f"{city}人民政府国有资产监督管理委员会", "state", float(main_share[i]), True)
        elif p == 0:
            row = (people.name[i], "person", float(main_share[i]) - 20.0, True)
        elif p == 1 and parent >= 0:
            # The group's owner controls the subsidiary through the parent company.
            row = (people.name[i], "person", None, True)
        elif p == 2:
            row = (f"{ctx.short_names[a][:2]}产业投资基金（有限合伙）", "fund", 8.0, False)
        elif p == 3:
            row = (f"{ctx.short_names[a][:2]}员工持股平台（有限合伙）", "fund", 5.0, False)
        else:
            row = (people.name[i], "person", 12.0, False)
        names.append(row[0])
        kinds.append(row[1])
        shares.append(row[2])
        controller.append(row[3])
    table = _sourced(rng, ctx, account, first_id)
    table |= {"name": names, "kind": kinds, "share_percent": shares}
    table["is_actual_controller"] = np.array(controller, dtype=bool)
    return table


def officers(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    counts = _counts(rng, ctx.plan.size_rank, 0.5, 3, len(OFFICER_TITLES))
    account, position = _repeat(counts)
    people = person_names(rng, account.size)
    table = _sourced(rng, ctx, account, first_id)
    table["name"] = people.name
    table["title"] = [OFFICER_TITLES[p][0] for p in position]
    table["body"] = [OFFICER_TITLES[p][1] for p in position]
    return table


def business_units(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    plan = ctx.plan
    counts = _counts(rng, plan.size_rank, 0.7, 1, 3)
    account, position = _repeat(counts)
    offset = rng.integers(0, 100, plan.n)[account]
    units = [BUSINESS_UNITS[SEGMENTS[int(plan.segment[a])].key] for a in account]
    autonomy = np.array(["central", "partial", "autonomous"])
    table = _sourced(rng, ctx, account, first_id)
    table["name"] = [u[(o + p) % len(u)] for u, o, p in zip(units, offset, position, strict=True)]
    table["description"] = np.array(BUSINESS_UNIT_NOTES)[
        rng.integers(0, len(BUSINESS_UNIT_NOTES), account.size)
    ]
    table["autonomy"] = autonomy[rng.integers(0, 3, account.size)]
    table["served_by_us"] = rng.random(account.size) < 0.6
    return table


def company_events(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    plan = ctx.plan
    counts = _counts(rng, plan.size_rank, 0.6, 1, 4)
    account, _ = _repeat(counts)
    pick = rng.integers(0, len(EVENTS), account.size)
    end = np.datetime64(ctx.window.end, "D")
    table = _sourced(rng, ctx, account, first_id)
    table["kind"] = [EVENTS[k][0] for k in pick]
    table["date"] = end - rng.integers(0, 730, account.size).astype("timedelta64[D]")
    table["description"] = [
        EVENTS[k][1].format(city=CITIES[int(plan.city[a])].short)
        for k, a in zip(pick, account, strict=True)
    ]
    return table


def financial_years(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    """Three closed years of the customer's own accounts: our sales are a few percent of its
    revenue; developers run thin margins on heavy debt."""
    plan = ctx.plan
    known = plan.size_rank > 0.6
    counts = np.where(known, 3, 0).astype(np.int64)
    account, position = _repeat(counts)
    developer = np.array([s.key == "developer" for s in SEGMENTS])[plan.segment[account]]
    our_share = rng.uniform(0.005, 0.05, plan.n)[account]
    years_back = 3 - position  # 3, 2, 1 years before the current one
    revenue = plan.size[account] / our_share * np.exp(-plan.growth[account] * years_back)
    revenue *= rng.lognormal(0.0, 0.05, account.size)
    margin = np.where(
        developer, rng.normal(0.01, 0.06, account.size), rng.normal(0.06, 0.04, account.size)
    )
    assets = revenue * np.where(
        developer, rng.uniform(3.0, 5.0, account.size), rng.uniform(0.8, 2.5, account.size)
    )
    leverage = np.where(
        developer, rng.uniform(0.75, 0.9, account.size), rng.uniform(0.35, 0.7, account.size)
    )
    rated = plan.size_rank[account] > 0.85
    rating = np.array(CREDIT_RATINGS)[
        np.clip((1.0 - plan.size_rank[account]) * 40, 0, 5).astype(int)
    ]
    table = _sourced(rng, ctx, account, first_id)
    table["year"] = ctx.window.end.year - years_back
    table["currency"] = np.full(account.size, "CNY")
    table["revenue"] = np.round(revenue, -4)
    table["net_profit"] = np.round(revenue * margin, -3)
    table["total_assets"] = np.round(assets, -4)
    table["total_liabilities"] = np.round(assets * leverage, -4)
    table["credit_rating"] = np.where(rated, rating, "")
    return table


def outlook_notes(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    plan = ctx.plan
    developer = np.array([s.key == "developer" for s in SEGMENTS])[plan.segment]
    counts = np.where(plan.size_rank > 0.75, rng.integers(0, 3, plan.n), 0)
    counts = np.where(developer & (plan.size_rank > 0.5), np.maximum(counts, 1), counts)
    account, _ = _repeat(counts.astype(np.int64))
    kinds = list(OUTLOOK)
    kind = np.array(kinds)[rng.integers(0, len(kinds), account.size)]
    # Developers' notes are mostly about the property downturn and their lenders.
    dev = developer[account] & (rng.random(account.size) < 0.7)
    kind = np.where(dev, np.where(rng.random(account.size) < 0.5, "market", "lenders"), kind)
    pick = rng.integers(0, 3, account.size)
    notes = [
        OUTLOOK[str(k)][(p + 1 if d else p) % len(OUTLOOK[str(k)])]
        for k, p, d in zip(kind, pick, dev, strict=True)
    ]
    table = _sourced(rng, ctx, account, first_id)
    table["kind"] = kind
    table["severity"] = [severity for severity, _ in notes]
    table["text"] = [text for _, text in notes]
    return table


def budget_cycles(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    plan = ctx.plan
    account = np.flatnonzero(plan.size_rank > 0.4)
    n = account.size
    fiscal = np.where(rng.random(n) < 0.93, 1, np.where(rng.random(n) < 0.5, 4, 7))
    budget = (fiscal + 8 + rng.integers(0, 3, n) - 1) % 12 + 1
    tender = np.array([3, 3, 4, 9, 11])[rng.integers(0, 5, n)]
    has_tender = rng.random(n) < 0.7
    table = _sourced(rng, ctx, account, first_id)
    table["fiscal_year_start_month"] = fiscal
    table["budget_month"] = budget
    table["tender_month"] = [int(t) if h else None for t, h in zip(tender, has_tender, strict=True)]
    table["notes"] = [
        f"每年{b}月编制下一年度预算" + (f"，{t}月集中招标定标" if h else "，按项目单独询价")
        for b, t, h in zip(budget, tender, has_tender, strict=True)
    ]
    return table


def needs(rng: np.random.Generator, ctx: FactContext, first_id: int) -> Table:
    counts = _counts(rng, ctx.plan.size_rank, 0.5, 1, 3)
    account, position = _repeat(counts)
    kinds = list(NEED_TEXTS)
    offset = rng.integers(0, len(kinds), ctx.plan.n)[account]
    kind = [kinds[(o + 2 * p) % len(kinds)] for o, p in zip(offset, position, strict=True)]
    pick = rng.integers(0, 10, account.size)
    table = _sourced(rng, ctx, account, first_id)
    table["kind"] = kind
    table["priority"] = np.array(["high", "medium", "low"])[rng.integers(0, 3, account.size)]
    table["description"] = [
        NEED_TEXTS[k][p % len(NEED_TEXTS[k])] for k, p in zip(kind, pick, strict=True)
    ]
    return table


FACT_TABLES = {
    "accounts_location": locations,
    "accounts_shareholder": shareholders,
    "accounts_officer": officers,
    "accounts_businessunit": business_units,
    "accounts_companyevent": company_events,
    "accounts_financialyear": financial_years,
    "accounts_outlooknote": outlook_notes,
    "accounts_budgetcycle": budget_cycles,
    "accounts_need": needs,
}
