"""Tiering rules (客户分级), DOMAIN §2.2.

Default rules from a real company policy: strategic is management's designation (a flag, not a
number); key needs annual sales of at least 20,000,000 CNY and an industry-leading position;
major needs at least 5,000,000 CNY; the rest are general. Which measure feeds the thresholds
(revenue or profit, trailing twelve months or fiscal year) is the caller's choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

STRATEGIC, KEY, MAJOR, GENERAL = "strategic", "key", "major", "general"
TIER_ORDER = (STRATEGIC, KEY, MAJOR, GENERAL)


@dataclass(frozen=True)
class TierRules:
    key_threshold: float = 20_000_000.0
    major_threshold: float = 5_000_000.0
    key_requires_leader: bool = True
    major_requires_mid_or_leader: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.major_threshold <= self.key_threshold:
            raise ValueError(
                f"need 0 <= major_threshold <= key_threshold, got "
                f"{self.major_threshold} and {self.key_threshold}"
            )


def assign_tiers(
    measure: ArrayLike,
    *,
    strategic: ArrayLike | None = None,
    leader: ArrayLike | None = None,
    mid_or_leader: ArrayLike | None = None,
    rules: TierRules | None = None,
) -> NDArray[np.str_]:
    """Tier per account. `leader` / `mid_or_leader` are booleans on the industry position;
    when a rule needs one and it is not given, the rule cannot be met."""
    rules = rules or TierRules()
    value = np.asarray(measure, dtype=np.float64)
    n = value.size
    no = np.zeros(n, dtype=bool)
    is_strategic = no if strategic is None else np.asarray(strategic, dtype=bool)
    is_leader = no if leader is None else np.asarray(leader, dtype=bool)
    is_mid = is_leader if mid_or_leader is None else np.asarray(mid_or_leader, dtype=bool)
    key = value >= rules.key_threshold
    if rules.key_requires_leader:
        key &= is_leader
    major = value >= rules.major_threshold
    if rules.major_requires_mid_or_leader:
        major &= is_mid | is_leader
    tiers = np.full(n, GENERAL, dtype="<U9")
    tiers[major] = MAJOR
    tiers[key] = KEY
    tiers[is_strategic] = STRATEGIC
    return tiers


def tier_movements(before: ArrayLike, after: ArrayLike) -> dict[tuple[str, str], int]:
    """Counts of accounts per (old tier, new tier), including those that stay."""
    old = np.asarray(before, dtype=str)
    new = np.asarray(after, dtype=str)
    pairs, counts = np.unique(np.stack([old, new], axis=1), axis=0, return_counts=True)
    return {(str(a), str(b)): int(c) for (a, b), c in zip(pairs, counts, strict=True)}
