import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.analytics.portfolio import (
    blend_forecasts,
    compound_growth,
    growth_potential,
    net_contribution,
    trend_forecast,
)


def test_compound_growth_by_hand() -> None:
    growth = compound_growth([[100, 110, 121], [0, 50, 100], [0, 0, 80], [200, 150, 50]])
    assert growth[0] == pytest.approx(0.10)
    assert growth[1] == pytest.approx(1.0)  # doubled in one year: at the cap
    assert np.isnan(growth[2])
    assert growth[3] == pytest.approx(-0.5)  # (50/200)^(1/2) - 1 = -0.5, at the floor


def test_damped_trend_forecast_by_hand() -> None:
    result = trend_forecast([[100, 110, 121]], horizon=2, damping=0.5)
    # g = 0.10: year 1 grows 5 %, year 2 another 2.5 %
    assert result.revenue[0].tolist() == pytest.approx([127.05, 127.05 * 1.025])
    assert result.method == "trend"


def test_without_a_trend_the_last_year_is_carried_forward() -> None:
    assert trend_forecast([[0, 0, 80]]).revenue[0].tolist() == [80, 80]


def test_blending_says_which_method_was_used_and_keeps_trend_where_model_is_missing() -> None:
    trend = trend_forecast([[100, 100, 100], [50, 50, 50]])
    model = np.array([[200.0, 200.0], [np.nan, np.nan]])
    blended = blend_forecasts(trend, model, model_weight=0.5)
    assert blended.revenue.tolist() == [[150, 150], [50, 50]]
    assert blended.method == "blend"
    assert blend_forecasts(trend, model, 1.0).method == "purchase_model"


def test_net_contribution_subtracts_direct_and_indirect_costs() -> None:
    result = net_contribution([1000, 0], [600, 10], [150, 5])
    assert result.gross_margin.tolist() == [400, -10]
    assert result.net_contribution.tolist() == [250, -15]
    assert result.net_margin_rate[0] == pytest.approx(0.25)
    assert np.isnan(result.net_margin_rate[1])


def test_growth_potential_and_time_to_reach_it() -> None:
    result = growth_potential([100, 100, 100, 100], [400, 400, 100, np.nan], [0.1, 0.0, 0.1, 0.1])
    # target 200: headroom 100; log(2)/log(1.1) = 7.27 years
    assert result.headroom[:3].tolist() == [100, 100, 0]
    assert result.years_to_reach[0] == pytest.approx(np.log(2) / np.log(1.1))
    assert result.years_to_reach[1] == np.inf
    assert result.years_to_reach[2] == 0.0
    assert np.isnan(result.headroom[3])


@given(
    st.lists(st.floats(0, 1e9), min_size=3, max_size=3),
    st.floats(0, 1),
)
def test_forecasts_are_never_negative(history: list, damping: float) -> None:
    result = trend_forecast([history], damping=damping)
    assert np.all(result.revenue >= 0)
