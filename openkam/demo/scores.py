"""Scorecard scores for the demo: what KAMs would have filled in (DOMAIN §2.6 and §2.7).

Key accounts are scored on (nearly) every attractiveness criterion, major accounts on most,
a few general accounts on some; the strength criteria a refresh cannot measure from the ledger
(satisfaction, product fit, delivery) are scored alongside. Scores follow one latent
attractiveness per account (bigger, industry-leading, closer accounts score higher) plus noise
per criterion, so the portfolio matrix spreads over its four quadrants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openkam.common.bulk import Column, Const, nullable

# Share of accounts scored at all, and share of criteria scored on a scored account, per tier.
COVERAGE = {
    "strategic": (1.0, 0.95),
    "key": (1.0, 0.9),
    "major": (0.7, 0.8),
    "general": (0.08, 0.5),
}
MEASURED_STRENGTH = {"share_of_wallet", "relationship_stage", "years_as_supplier"}
POSITION_BONUS = {"leader": 0.8, "mid": 0.3, "small": -0.3, "unknown": 0.0}
RELATIONSHIP_BONUS = {
    "pre": -0.6,
    "early": -0.2,
    "mid": 0.2,
    "partnership": 0.6,
    "synergistic": 0.9,
}


@dataclass(frozen=True)
class Criteria:
    ids: NDArray[np.int64]
    keys: list[str]
    scorecard: list[str]


@dataclass(frozen=True)
class ScoredAccounts:
    """Per account: tier, industry position, relationship stage, trailing revenue, owner id
    (-1 for none); aligned with `account_ids`."""

    account_ids: NDArray[np.int64]
    tier: NDArray[np.str_]
    position: NDArray[np.str_]
    relationship: NDArray[np.str_]
    trailing_revenue: NDArray[np.float64]
    owner: NDArray[np.int64]


def _latent(rng: np.random.Generator, accounts: ScoredAccounts) -> NDArray[np.float64]:
    size = np.log1p(np.clip(accounts.trailing_revenue, 0.0, None))
    spread = size.std() or 1.0
    z = (size - size.mean()) / spread * 0.6
    z += np.array([POSITION_BONUS.get(str(p), 0.0) for p in accounts.position])
    return np.asarray(z + rng.normal(0.0, 0.5, z.size), dtype=np.float64)


def _strength(rng: np.random.Generator, accounts: ScoredAccounts) -> NDArray[np.float64]:
    z = np.array([RELATIONSHIP_BONUS.get(str(s), 0.0) for s in accounts.relationship])
    return np.asarray(z + rng.normal(0.0, 0.6, z.size), dtype=np.float64)


def score_columns(
    rng: np.random.Generator,
    accounts: ScoredAccounts,
    criteria: Criteria,
    stamp: np.datetime64,
) -> dict[str, Column]:
    """The portfolio_accountscore rows, as columns for the bulk writer."""
    n, k = accounts.account_ids.size, len(criteria.keys)
    scored_share = np.array([COVERAGE.get(str(t), COVERAGE["general"])[0] for t in accounts.tier])
    criterion_share = np.array(
        [COVERAGE.get(str(t), COVERAGE["general"])[1] for t in accounts.tier]
    )
    scored = rng.random(n) < scored_share
    manual = np.array([key not in MEASURED_STRENGTH for key in criteria.keys])
    present = scored[:, None] & manual[None, :] & (rng.random((n, k)) < criterion_share[:, None])
    is_strength = np.array([card == "strength" for card in criteria.scorecard])
    level = np.where(is_strength[None, :], _strength(rng, accounts)[:, None], 0.0)
    level = level + np.where(is_strength[None, :], 0.0, _latent(rng, accounts)[:, None])
    scores = np.clip(np.rint(3.0 + level + rng.normal(0.0, 0.7, (n, k))), 1, 5).astype(np.int64)
    rows, columns = np.nonzero(present)
    owner = accounts.owner[rows]
    # Scored some time in the last half year, before the demo's last day.
    when = stamp - rng.integers(0, 180 * 86400, rows.size).astype("timedelta64[s]")
    return {
        "created_at": when,
        "updated_at": when,
        "account_id": accounts.account_ids[rows],
        "criterion_id": criteria.ids[columns],
        "score": scores[rows, columns],
        "note": Const(""),
        "scored_by_id": nullable(owner, owner >= 0),
    }
