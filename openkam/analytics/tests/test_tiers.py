import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.analytics.tiers import TierRules, assign_tiers, tier_movements


def test_default_policy_on_hand_picked_accounts() -> None:
    tiers = assign_tiers(
        [25e6, 25e6, 6e6, 4.99e6, 100.0, 20e6],
        strategic=[False, False, False, False, True, False],
        leader=[True, False, False, True, False, True],
    )
    # 25M leader -> key; 25M not a leader -> major; 6M -> major; just under 5M -> general;
    # management's strategic flag wins whatever the figure; exactly 20M leader -> key.
    assert tiers.tolist() == ["key", "major", "major", "general", "strategic", "key"]


def test_key_without_position_information_cannot_be_met() -> None:
    assert assign_tiers([30e6]).tolist() == ["major"]


def test_thresholds_are_configurable_per_company() -> None:
    rules = TierRules(key_threshold=1e6, major_threshold=1e5, key_requires_leader=False)
    assert assign_tiers([2e6, 2e5, 5e4], rules=rules).tolist() == ["key", "major", "general"]


def test_major_can_require_a_mid_sized_position() -> None:
    rules = TierRules(major_requires_mid_or_leader=True)
    tiers = assign_tiers([6e6, 6e6], mid_or_leader=[True, False], rules=rules)
    assert tiers.tolist() == ["major", "general"]


def test_rules_refuse_a_major_threshold_above_the_key_threshold() -> None:
    with pytest.raises(ValueError, match="major_threshold <= key_threshold"):
        TierRules(key_threshold=1.0, major_threshold=2.0)


def test_movements_count_every_account_once() -> None:
    moves = tier_movements(["key", "major", "major"], ["key", "key", "general"])
    assert moves == {("key", "key"): 1, ("major", "key"): 1, ("major", "general"): 1}


@given(
    st.lists(st.tuples(st.floats(0, 1e9), st.booleans(), st.booleans()), min_size=1, max_size=100),
    st.floats(0, 1e8),
    st.floats(0, 1e8),
)
def test_tiers_are_consistent_with_the_thresholds(rows: list, a: float, b: float) -> None:
    rules = TierRules(key_threshold=max(a, b), major_threshold=min(a, b))
    measure, strategic, leader = (np.array(column) for column in zip(*rows, strict=True))
    tiers = assign_tiers(measure, strategic=strategic, leader=leader, rules=rules)
    assert np.all((tiers == "strategic") == strategic)
    plain = ~strategic
    assert np.all(tiers[plain & (measure >= rules.key_threshold) & leader] == "key")
    assert np.all(tiers[plain & (measure < rules.major_threshold)] == "general")
    assert np.all(measure[tiers == "key"] >= rules.key_threshold)
    assert np.all(measure[tiers == "major"] >= rules.major_threshold)
