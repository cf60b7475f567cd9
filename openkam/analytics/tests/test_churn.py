import numpy as np
import pytest

from openkam.analytics import churn
from openkam.analytics.churn import ChurnThresholds, churn_risk


def test_signals_combine_into_levels_with_reasons() -> None:
    result = churn_risk(
        p_alive=[0.95, 0.4, 0.1, 0.9, np.nan],
        days_since_last=[10, 70, 200, 30, 30],
        usual_gap_days=[30, 30, 30, 30, 30],
        trailing_change=[0.1, -0.1, -0.7, -0.4, np.nan],
    )
    assert result.reasons == [
        (),
        ("p_alive_low", "overdue_vs_rhythm"),
        ("p_alive_very_low", "long_silence", "steep_decline"),
        ("volume_decline",),
        (),
    ]
    assert result.points.tolist() == [0, 2, 7, 1, 0]
    assert result.level.tolist() == ["low", "medium", "high", "medium", "low"]


def test_payment_and_satisfaction_signals_count_when_known() -> None:
    result = churn_risk(overdue_share_change=[0.2, 0.0], satisfaction_change=[-2.0, 0.5])
    assert result.reasons == [("payment_worsening", "satisfaction_drop"), ()]


def test_thresholds_are_configurable() -> None:
    strict = ChurnThresholds(p_alive_low=0.99, high_points=1)
    assert churn_risk(p_alive=[0.95], thresholds=strict).level.tolist() == ["high"]


def test_signals_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        churn_risk(p_alive=[0.5, 0.5], trailing_change=[0.1])


def test_reasons_are_those_of_each_accounts_own_signals() -> None:
    # Every combination of the five signals (none, weak, strong; unknown) on 5,000 accounts:
    # each account's reasons are its hits in the signals' order, strong before weak.
    rng = np.random.default_rng(7)
    n = 5_000

    def signal(values: list[float]) -> np.ndarray:
        return rng.choice(np.array(values), n)

    p_alive = signal([0.9, 0.4, 0.1, np.nan])
    since = signal([10.0, 70.0, 200.0, np.nan])
    trailing = signal([0.1, -0.4, -0.7, np.nan])
    overdue = signal([0.0, 0.2, np.nan])
    satisfaction = signal([0.0, -2.0, np.nan])
    result = churn_risk(
        p_alive=p_alive,
        days_since_last=since,
        usual_gap_days=np.full(n, 30.0),
        trailing_change=trailing,
        overdue_share_change=overdue,
        satisfaction_change=satisfaction,
    )

    def one(i: int) -> tuple[str, ...]:
        codes = []
        if p_alive[i] < 0.2:
            codes.append("p_alive_very_low")
        elif p_alive[i] < 0.5:
            codes.append("p_alive_low")
        if since[i] / 30 >= 4:
            codes.append("long_silence")
        elif since[i] / 30 >= 2:
            codes.append("overdue_vs_rhythm")
        if trailing[i] < -0.6:
            codes.append("steep_decline")
        elif trailing[i] < -0.3:
            codes.append("volume_decline")
        if overdue[i] >= 0.1:
            codes.append("payment_worsening")
        if satisfaction[i] < -1:
            codes.append("satisfaction_drop")
        return tuple(codes)

    assert result.reasons == [one(i) for i in range(n)]
    assert len(set(result.reasons)) > 100
    assert churn_risk(p_alive=[]).reasons == []


def test_value_lost_is_clv_times_the_chance_the_customer_has_left() -> None:
    lost = churn.value_lost(
        clv=[1_000.0, -50.0, np.nan, 800.0, np.nan],
        p_alive=[0.3, 0.5, 0.9, np.nan, np.nan],
        revenue_12m=[9_999.0, 9_999.0, 1_200.0, 640.0, np.nan],
    )
    # 1,000 x (1 - 0.3); a negative CLV loses nothing; unmodelled: the year's revenue (or 0).
    np.testing.assert_allclose(lost, [700.0, 0.0, 1_200.0, 640.0, 0.0])


def test_value_lost_of_one_customer_is_a_number() -> None:
    assert float(churn.value_lost(2_000.0, 0.75, 0.0)) == 500.0
