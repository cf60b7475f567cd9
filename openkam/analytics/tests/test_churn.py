import numpy as np
import pytest

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
