"""The portfolio dashboard's figures over the accounts a user sees (DOMAIN §2, §6, §8).

Every figure comes from the latest refresh's snapshots (and, for the change against the
previous period, from the refresh about a month or more before it), plus the accounts' own
tier and lifecycle stage. On a portfolio of 100,000 accounts that is a pass over 100,000
snapshot rows: done once per refresh and set of accounts, then kept in DashboardCache, so a
page reads one row. The payload holds codes and numbers only, never translated words, so one
row serves both languages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.accounts.selectors import visible_in_parts
from openkam.analytics import churn as churn_analysis
from openkam.analytics import pareto
from openkam.interactions.selectors import overdue_accounts
from openkam.portfolio.labels import ABC_CLASSES
from openkam.portfolio.models import AccountSnapshot, DashboardCache, PortfolioRun, TierProposal
from openkam.portfolio.selectors import latest_run
from openkam.team.models import ALL_ACCOUNT_ROLES, User
from openkam.web.selectors import chart_series, portfolio_monthly

# Figures read from the accounts themselves (tiers, stages, names) may lag this much.
CACHE_SECONDS = 300
# The scatter plots show the largest accounts; the counts cover every account.
PLOT_LIMIT = 300
PARETO_POINTS = 200
ATTENTION_LIMIT = 12
# A "previous period" refresh is at least this much older than the latest one.
PRIOR_RUN_GAP = dt.timedelta(days=28)
KEY_TIERS = (Tier.STRATEGIC, Tier.KEY)
MIN_SCORECARD_COVERAGE = 0.3  # as the refresh: below it the account is not rated

SNAPSHOT_COLUMNS = (
    "account_id",
    "revenue_12m",
    "cost_12m",
    "revenue_prev_12m",
    "tier",
    "abc_revenue",
    "churn_level",
    "ar_overdue",
    "attractiveness",
    "attractiveness_coverage",
    "relative_strength",
    "loyalty_preference",
    "loyalty_repeat",
    "sales_profit_quadrant",
    "volume_loyalty_quadrant",
    "portfolio_quadrant",
    "clv_net",
    "clv",
    "p_alive",
)


class Dashboard:
    """The kept figures of one refresh and scope. `key` names this version of them (the
    refresh, the scope, the kept row and when it was last brought up to date), so what is
    rendered from them can be kept too; the figures themselves are read from the row only
    when something asks for them."""

    def __init__(
        self,
        run: PortfolioRun,
        kept: DashboardCache,
        *,
        figures: dict[str, Any] | None = None,
    ) -> None:
        self.run = run
        self.computed_at = kept.computed_at
        self.key = f"{run.pk}:{kept.scope}:{kept.pk}:{kept.computed_at.timestamp()}"
        self._kept_id = kept.pk
        self._figures = figures

    @property
    def figures(self) -> dict[str, Any]:
        if self._figures is None:
            payload = DashboardCache.objects.values_list("payload", flat=True)
            self._figures = payload.get(pk=self._kept_id)
        return self._figures


def filtered(accounts: QuerySet[Account], filters: dict[str, Any]) -> QuerySet[Account]:
    lookups = {
        "team": "team",
        "owner": "owner",
        "region": "region",
        "industry": "industry",
        "tier": "tier",
    }
    chosen = {lookups[name]: value for name, value in filters.items() if value}
    return accounts.filter(**chosen) if chosen else accounts


def warm_dashboard() -> None:
    """Compute the company-wide dashboard of the newest refresh now, so that the first
    executive to open it after the refresh does not wait for it (seconds at 100,000 accounts).
    Everyone who sees every account shares these figures."""
    viewer = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role__in=ALL_ACCOUNT_ROLES))
        .order_by("pk")
        .first()
    )
    if viewer is not None:
        portfolio_dashboard(viewer, Account.objects.all(), {})


# Knuth's multiplicative hash of an id, modulo a prime below 2**32 (fits 64-bit integers in
# SQLite and PostgreSQL for ids below 3 billion).
SCOPE_HASH_MULTIPLIER = 2654435761
SCOPE_HASH_MODULUS = 4294967291


def scope_key(user: User, filters: dict[str, Any]) -> str:
    """Which accounts the figures cover: everyone who sees every account shares one key;
    anyone else's key holds the accounts they see now, so a change of team membership,
    directorship, ownership or an account's team is a new key at once instead of last
    refresh's figures over accounts no longer theirs."""
    who: object = "all"
    if not user.sees_all_accounts:
        # A fingerprint of the set, summed by the database rather than listed: how many, the
        # sum of their ids and the sum of a multiplicative hash of each id (two different sets
        # agreeing on all three is not a change a team's book undergoes). Summed part by part
        # (visible_in_parts), each part read from an index.
        totals = [0, 0, 0]
        for part in visible_in_parts(user):
            print_ = part.order_by().aggregate(
                n=Count("pk"),
                ids=Sum("pk"),
                hashed=Sum((F("pk") * SCOPE_HASH_MULTIPLIER) % SCOPE_HASH_MODULUS),
            )
            for index, name in enumerate(("n", "ids", "hashed")):
                totals[index] += int(print_[name] or 0)
        who = [totals[0], str(totals[1]), str(totals[2])]
    chosen = {name: str(getattr(value, "pk", value)) for name, value in filters.items() if value}
    text = json.dumps({"who": who, "filters": chosen}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def prior_run(run: PortfolioRun) -> PortfolioRun | None:
    return (
        PortfolioRun.objects.filter(
            status=PortfolioRun.Status.DONE, as_of__lte=run.as_of - PRIOR_RUN_GAP
        )
        .order_by("-as_of", "-started_at")
        .first()
    )


def portfolio_dashboard(
    user: User, accounts: QuerySet[Account], filters: dict[str, Any]
) -> Dashboard | None:
    """The dashboard of `accounts` (already limited to what `user` sees, then filtered):
    two queries when its figures are kept (one more to list the accounts of who sees only
    some, one more when the figures are read), None before the first
    refresh. Kept figures are brought up to date piecemeal: the counts read from the accounts
    after CACHE_SECONDS, the portfolio matrix after a scorecard edit; everything else changes
    only with a refresh."""
    run = latest_run()
    if run is None:
        return None
    scope = scope_key(user, filters)
    everything = user.sees_all_accounts and not any(filters.values())
    chosen = filtered(accounts, filters)
    kept = DashboardCache.objects.filter(run=run, scope=scope).defer("payload").first()
    if kept is None:
        figures = dashboard_figures(chosen, run=run, everything=everything)
        DashboardCache.objects.exclude(run=run).delete()  # figures of earlier refreshes
        kept = DashboardCache.objects.create(run=run, scope=scope, payload=figures)
        return Dashboard(run, kept, figures=figures)
    stale = (timezone.now() - kept.computed_at).total_seconds() >= CACHE_SECONDS
    if not (kept.portfolio_stale or stale):
        return Dashboard(run, kept)
    # Either way the counts are read again and computed_at moves, so the figures' key (and
    # with it every rendered copy, in every server process) changes.
    if kept.portfolio_stale:
        kept.payload["matrices"]["portfolio"] = _portfolio_matrix_of(run, chosen, everything)
        kept.portfolio_stale = False
    kept.payload["tiers"], kept.payload["lifecycle"] = _account_counts(chosen)
    kept.save(update_fields=["payload", "portfolio_stale", "computed_at"])
    return Dashboard(run, kept, figures=kept.payload)


def _snapshots(run: PortfolioRun, accounts: QuerySet[Account], everything: bool) -> Any:
    rows = AccountSnapshot.objects.filter(run=run)
    return rows if everything else rows.filter(account_id__in=accounts.order_by().values("pk"))


def _float(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def dashboard_figures(
    accounts: QuerySet[Account], *, run: PortfolioRun, everything: bool = False
) -> dict[str, Any]:
    """Every figure of the dashboard as plain JSON (see the module's docstring)."""
    rows = list(_snapshots(run, accounts, everything).values_list(*SNAPSHOT_COLUMNS))
    columns = dict(zip(SNAPSHOT_COLUMNS, zip(*rows, strict=True), strict=True)) if rows else {}
    data = {name: list(columns.get(name, ())) for name in SNAPSHOT_COLUMNS}
    ids = np.array(data["account_id"], dtype=np.int64)
    revenue = _float(data["revenue_12m"])
    cost = _float(data["cost_12m"])
    before = prior_run(run)
    return {
        "as_of": run.as_of.isoformat(),
        "prior_as_of": before.as_of.isoformat() if before else None,
        "headline": _headline(data, revenue, cost, before, accounts, everything),
        "pareto": _pareto(revenue, data["abc_revenue"], run),
        **dict(zip(("tiers", "lifecycle"), _account_counts(accounts), strict=True)),
        "movements": _movements(ids, data["tier"], before, accounts, everything),
        "open_proposals": _open_proposals(accounts, everything),
        "matrices": _matrices(ids, data, revenue, cost, run),
        "attention": _attention(ids, data, revenue, run, _contact_due(accounts, everything)),
        "top": _top(ids, revenue),
        "destroyers": _destroyers(ids, _float(data["clv_net"])),
        "monthly": chart_series(
            portfolio_monthly(accounts, today=run.as_of, everything=everything), today=run.as_of
        ),
    }


# --- Headline -----------------------------------------------------------------------------


def _concentration(revenue: np.ndarray) -> dict[str, float]:
    figures = pareto.concentration(np.nan_to_num(revenue))
    return {"top_share": figures.top_share, "gini": figures.gini, "hhi": figures.hhi}


def _headline(
    data: dict[str, list[Any]],
    revenue: np.ndarray,
    cost: np.ndarray,
    before: PortfolioRun | None,
    accounts: QuerySet[Account],
    everything: bool,
) -> dict[str, Any]:
    total = float(np.nansum(revenue))
    key = np.isin(np.array(data["tier"], dtype=object), KEY_TIERS)
    churn = np.array(data["churn_level"], dtype=object)
    overdue = _float(data["ar_overdue"])
    now: dict[str, Any] = {
        "accounts": len(revenue),
        "revenue": total,
        "margin": total - float(np.nansum(cost)),
        "key_share": float(np.nansum(revenue[key]) / total) if total else None,
        "ar_overdue": float(np.nansum(overdue)),
        "ar_overdue_accounts": int(np.count_nonzero(overdue > 0)),
        "churn_high": int(np.count_nonzero(churn == "high")),
        "churn_medium": int(np.count_nonzero(churn == "medium")),
        **_concentration(revenue),
        # Without an earlier refresh, revenue still compares with its own 12 months before.
        "revenue_prior": float(np.nansum(_float(data["revenue_prev_12m"]))),
    }
    now["margin_rate"] = now["margin"] / total if total else None
    prior: dict[str, Any] = {}
    if before is not None:
        prior = _prior_headline(before, accounts, everything)
        now["revenue_prior"] = prior.get("revenue", now["revenue_prior"])
    now["prior"] = prior
    now["changes"] = _changes(now, prior)
    return now


def _ratio_change(now: float | None, before: float | None) -> float | None:
    return now / before - 1 if now is not None and before else None


def _point_change(now: float | None, before: float | None) -> float | None:
    """A change of a share in percentage points."""
    return 100 * (now - before) if now is not None and before is not None else None


def _changes(now: dict[str, Any], prior: dict[str, Any]) -> dict[str, float | int | None]:
    return {
        "revenue": _ratio_change(now["revenue"], now["revenue_prior"]),
        "margin": _ratio_change(now["margin"], prior.get("margin")),
        "margin_rate": _point_change(now["margin_rate"], prior.get("margin_rate")),
        "key_share": _point_change(now["key_share"], prior.get("key_share")),
        "top_share": _point_change(now["top_share"], prior.get("top_share")),
        "ar_overdue": _ratio_change(now["ar_overdue"], prior.get("ar_overdue")),
        "churn_high": now["churn_high"] - prior["churn_high"] if prior else None,
    }


def _prior_headline(
    before: PortfolioRun, accounts: QuerySet[Account], everything: bool
) -> dict[str, Any]:
    snapshots = _snapshots(before, accounts, everything)
    totals = snapshots.aggregate(
        revenue=Sum("revenue_12m"),
        cost=Sum("cost_12m"),
        key=Sum("revenue_12m", filter=Q(tier__in=KEY_TIERS)),
        ar_overdue=Sum("ar_overdue"),
        churn_high=Count("pk", filter=Q(churn_level="high")),
        accounts=Count("pk"),
    )
    revenue = float(totals["revenue"] or 0)
    margin = revenue - float(totals["cost"] or 0)
    values = _float(list(snapshots.values_list("revenue_12m", flat=True)))
    return {
        "accounts": totals["accounts"],
        "revenue": revenue,
        "margin": margin,
        "margin_rate": margin / revenue if revenue else None,
        "key_share": float(totals["key"] or 0) / revenue if revenue else None,
        "ar_overdue": float(totals["ar_overdue"] or 0),
        "churn_high": totals["churn_high"],
        **_concentration(values),
    }


# --- Pareto, tiers, lifecycle ---------------------------------------------------------------


def _pareto(revenue: np.ndarray, abc: list[str], run: PortfolioRun) -> dict[str, Any]:
    a_cut = float(run.parameters.get("abc_a_cutoff", 0.8))
    b_cut = float(run.parameters.get("abc_b_cutoff", 0.95))
    values = np.sort(np.clip(np.nan_to_num(revenue), 0, None))[::-1]
    counts = {c: sum(1 for value in abc if value == c) for c in ABC_CLASSES}
    total = float(values.sum())
    if not values.size or total <= 0:
        return {"points": [], "a_cut": a_cut, "b_cut": b_cut, "counts": counts}
    share = np.cumsum(values) / total
    n = values.size
    picks = np.unique(np.linspace(0, n - 1, min(n, PARETO_POINTS)).round().astype(int))
    points = [[0.0, 0.0]] + [
        [round(100 * (i + 1) / n, 2), round(100 * float(share[i]), 2)] for i in picks
    ]
    reach = {
        name: round(100 * (int(np.searchsorted(share, cut)) + 1) / n, 2)
        for name, cut in (("a_reach", a_cut), ("b_reach", b_cut))
    }
    return {"points": points, "a_cut": a_cut, "b_cut": b_cut, "counts": counts, **reach}


def _account_counts(
    accounts: QuerySet[Account],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Accounts by tier and by lifecycle stage, from one grouped pass over the accounts."""
    tiers: dict[str, int] = {}
    stages: dict[str, int] = {}
    grouped = accounts.order_by().values_list("tier", "lifecycle_stage").annotate(n=Count("id"))
    for tier, stage, n in grouped:
        tiers[tier] = tiers.get(tier, 0) + n
        stages[stage] = stages.get(stage, 0) + n
    return (
        [{"tier": tier, "count": tiers.get(tier, 0)} for tier in Tier.values],
        [{"stage": stage, "count": stages.get(stage, 0)} for stage in LifecycleStage.values],
    )


def _movements(
    ids: np.ndarray,
    tiers: list[str],
    before: PortfolioRun | None,
    accounts: QuerySet[Account],
    everything: bool,
) -> list[dict[str, Any]]:
    """Accounts whose tier differs between the previous-period refresh and the latest."""
    if before is None:
        return []
    earlier = dict(_snapshots(before, accounts, everything).values_list("account_id", "tier"))
    moves: dict[tuple[str, str], int] = {}
    for account_id, tier in zip(ids.tolist(), tiers, strict=True):
        was = earlier.get(account_id)
        if was and was != tier:
            moves[(was, tier)] = moves.get((was, tier), 0) + 1
    rank = {tier: index for index, tier in enumerate(Tier.values)}
    return [
        {"from": was, "to": now, "count": count, "up": rank.get(now, 9) < rank.get(was, 9)}
        for (was, now), count in sorted(moves.items(), key=lambda item: -item[1])
    ]


def _open_proposals(accounts: QuerySet[Account], everything: bool) -> int:
    proposals = TierProposal.objects.filter(status=TierProposal.Status.PROPOSED)
    if not everything:
        proposals = proposals.filter(account_id__in=accounts.order_by().values("pk"))
    return proposals.count()


# --- Matrices -----------------------------------------------------------------------------


def _names(ids: list[int]) -> dict[int, str]:
    return {
        pk: short or legal
        for pk, short, legal in Account.objects.filter(pk__in=ids).values_list(
            "pk", "short_name", "legal_name"
        )
    }


def _matrix(
    x: np.ndarray,
    y: np.ndarray,
    codes: list[str],
    ids: np.ndarray,
    revenue: np.ndarray,
    **extra: Any,
) -> dict[str, Any]:
    placed = np.isfinite(x) & np.isfinite(y) & np.array([bool(c) for c in codes], dtype=bool)
    counts: dict[str, int] = {}
    for code, ok in zip(codes, placed.tolist(), strict=True):
        if ok:
            counts[code] = counts.get(code, 0) + 1
    order = np.argsort(-np.nan_to_num(revenue[placed]), kind="stable")[:PLOT_LIMIT]
    where = np.flatnonzero(placed)[order]
    points = [[round(float(x[i]), 2), round(float(y[i]), 2), int(ids[i]), codes[i]] for i in where]
    return {"points": points, "counts": counts, "placed": int(placed.sum()), **extra}


def _matrices(
    ids: np.ndarray,
    data: dict[str, list[Any]],
    revenue: np.ndarray,
    cost: np.ndarray,
    run: PortfolioRun,
) -> dict[str, Any]:
    positive = np.where(revenue > 0, revenue, np.nan)
    # The mean of the two loyalty figures an account has (NaN when it has neither: no warning).
    pair = np.vstack([_float(data["loyalty_preference"]), _float(data["loyalty_repeat"])])
    known = np.count_nonzero(~np.isnan(pair), axis=0)
    loyalty = np.where(known > 0, np.nansum(pair, axis=0) / np.maximum(known, 1), np.nan)
    matrices = {
        "sales_profit": _matrix(
            positive, revenue - cost, data["sales_profit_quadrant"], ids, revenue
        ),
        "volume_loyalty": _matrix(
            positive, loyalty * 100, data["volume_loyalty_quadrant"], ids, revenue
        ),
        "portfolio": _portfolio_matrix(
            ids,
            _float(data["relative_strength"]),
            _float(data["attractiveness"]),
            data["portfolio_quadrant"],
            revenue,
            run,
        ),
    }
    _name_points(list(matrices.values()))
    return matrices


def _portfolio_matrix(
    ids: np.ndarray,
    strength: np.ndarray,
    attractiveness: np.ndarray,
    codes: list[str],
    revenue: np.ndarray,
    run: PortfolioRun,
) -> dict[str, Any]:
    return _matrix(
        strength,
        attractiveness,
        codes,
        ids,
        revenue,
        x_cut=float(run.parameters.get("portfolio_strength_cut", 50)),
        y_cut=float(run.parameters.get("portfolio_attractiveness_cut", 50)),
    )


def _portfolio_matrix_of(
    run: PortfolioRun, accounts: QuerySet[Account], everything: bool
) -> dict[str, Any]:
    """The portfolio matrix alone, after scorecard edits moved accounts in it."""
    columns = ("account_id", "revenue_12m", "relative_strength", "attractiveness")
    rows = list(_snapshots(run, accounts, everything).values_list(*columns, "portfolio_quadrant"))
    ids, revenue, strength, attractiveness, codes = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [], [])
    )
    matrix = _portfolio_matrix(
        np.array(ids, dtype=np.int64),
        _float(strength),
        _float(attractiveness),
        codes,
        _float(revenue),
        run,
    )
    _name_points([matrix])
    return matrix


def _name_points(matrices: list[dict[str, Any]]) -> None:
    """Append the account's name to every point (one query for all the matrices)."""
    shown = {point[2] for matrix in matrices for point in matrix["points"]}
    names = _names(sorted(shown))
    for matrix in matrices:
        for point in matrix["points"]:
            point.append(names.get(point[2], ""))


# --- Needs attention ------------------------------------------------------------------------

# The weight of each reason, which breaks ties between accounts with the same money at stake.
ATTENTION_WEIGHTS = {"churn": 4, "overdue_ar": 3, "contact_overdue": 2, "scorecard": 1}
# What a tier multiplies the value at risk by in the order of the list: a strategic account's
# money at risk weighs three times a general account's.
TIER_WEIGHTS = {Tier.STRATEGIC: 3.0, Tier.KEY: 2.0, Tier.MAJOR: 1.5, Tier.GENERAL: 1.0}


def _contact_due(accounts: QuerySet[Account], everything: bool) -> dict[int, dt.date]:
    """The accounts overdue for their return visit today, with the day it fell due (the
    tier's cadence after the last interaction done; see openkam.interactions)."""
    scope = Account.objects.all() if everything else accounts
    overdue = overdue_accounts(scope.order_by(), today=timezone.localdate())
    return dict(overdue.order_by().values_list("pk", "contact_due_on"))  # type: ignore[misc]


def _attention(
    ids: np.ndarray,
    data: dict[str, list[Any]],
    revenue: np.ndarray,
    run: PortfolioRun,
    contact_due: dict[int, dt.date],
) -> dict[str, Any]:
    """The accounts to look at first, each with its reasons: high churn risk, overdue
    receivables, a return visit overdue, no scorecard on a key account (too little scored
    to rate it). Ranked by value at risk weighted by tier (TIER_WEIGHTS): the value at risk
    is the larger of the customer value likely lost (CLV times the probability the customer
    has left, as the alert rules count it; the last twelve months' revenue where the models
    could not say), counted when the churn risk is high or the return visit is overdue, and
    the overdue receivables. A missing scorecard puts no money at risk: those come last."""
    churn = np.array(data["churn_level"], dtype=object) == "high"
    overdue = np.nan_to_num(_float(data["ar_overdue"]))
    tiers = np.array(data["tier"], dtype=object)
    coverage = np.nan_to_num(_float(data["attractiveness_coverage"]))
    unscored = np.isin(tiers, KEY_TIERS) & (coverage < MIN_SCORECARD_COVERAGE)
    uncontacted = np.array([pk in contact_due for pk in ids.tolist()], dtype=bool)
    lost = churn_analysis.value_lost(_float(data["clv"]), _float(data["p_alive"]), revenue)
    at_risk = np.maximum(np.where(churn | uncontacted, lost, 0.0), overdue)
    tier_weight = np.array([TIER_WEIGHTS.get(tier, 1.0) for tier in tiers], dtype=float)
    priority = at_risk * tier_weight
    weight = (
        ATTENTION_WEIGHTS["churn"] * churn
        + ATTENTION_WEIGHTS["overdue_ar"] * (overdue > 0)
        + ATTENTION_WEIGHTS["contact_overdue"] * uncontacted
        + ATTENTION_WEIGHTS["scorecard"] * unscored
    )
    counts = {
        "churn": int(churn.sum()),
        "overdue_ar": int((overdue > 0).sum()),
        "scorecard": int(unscored.sum()),
        "contact_overdue": len(contact_due),
    }
    flagged = np.flatnonzero(weight > 0)
    order = np.lexsort((-np.nan_to_num(revenue[flagged]), -weight[flagged], -priority[flagged]))
    chosen = flagged[order][:ATTENTION_LIMIT]
    accounts = Account.objects.select_related("owner").in_bulk([int(ids[i]) for i in chosen])
    reasons = dict(
        AccountSnapshot.objects.filter(
            run=run, account_id__in=[int(ids[i]) for i in chosen]
        ).values_list("account_id", "churn_reasons")
    )
    items = []
    for i in chosen:
        account = accounts.get(int(ids[i]))
        if account is None:
            continue
        why: list[dict[str, Any]] = []
        if churn[i]:
            why.append({"code": "churn", "signals": list(reasons.get(account.pk) or [])})
        if overdue[i] > 0:
            why.append({"code": "overdue_ar", "amount": float(overdue[i])})
        if uncontacted[i]:
            why.append({"code": "contact_overdue", "due": contact_due[account.pk].isoformat()})
        if unscored[i]:
            why.append({"code": "scorecard", "coverage": float(coverage[i])})
        items.append(
            {
                "id": account.pk,
                "name": account.short_name or account.legal_name,
                "tier": account.tier,
                "owner": str(account.owner) if account.owner else "",
                "revenue": float(np.nan_to_num(revenue[i])),
                "value_at_risk": float(at_risk[i]),
                "reasons": why,
            }
        )
    return {"items": items, "counts": counts}


def _destroyers(ids: np.ndarray, clv_net: np.ndarray, limit: int = 5) -> dict[str, Any]:
    """Value destroyers (issue 11): the accounts whose net customer value (CLV net of the
    cost to serve) is negative; how many, what they cost in all, the `limit` worst."""
    negative = np.flatnonzero(np.nan_to_num(clv_net) < 0)
    order = negative[np.argsort(clv_net[negative], kind="stable")][:limit]
    names = _names([int(ids[i]) for i in order])
    worst = [
        {"id": int(ids[i]), "name": names.get(int(ids[i]), ""), "clv_net": float(clv_net[i])}
        for i in order
    ]
    return {"count": len(negative), "loss": float(clv_net[negative].sum()), "worst": worst}


def _top(ids: np.ndarray, revenue: np.ndarray, limit: int = 10) -> list[dict[str, Any]]:
    """The accounts with the most revenue in the refresh's last 12 months."""
    order = np.argsort(-np.nan_to_num(revenue), kind="stable")[:limit]
    chosen = [int(ids[i]) for i in order if revenue[i] > 0]
    accounts = Account.objects.select_related("owner").in_bulk(chosen)
    total = float(np.nansum(revenue))
    return [
        {
            "id": pk,
            "name": accounts[pk].short_name or accounts[pk].legal_name,
            "legal_name": accounts[pk].legal_name,
            "tier": accounts[pk].tier,
            "owner": str(accounts[pk].owner) if accounts[pk].owner else "",
            "revenue": float(revenue[i]),
            "share": float(revenue[i]) / total if total else None,
        }
        for pk, i in zip(chosen, order, strict=False)
        if pk in accounts
    ]
