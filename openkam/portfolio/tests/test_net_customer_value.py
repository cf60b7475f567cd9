"""CLV net of the cost to serve (DOMAIN §2.3: some customers destroy value): the margins the
purchase model expects, less what serving the customer costs over the same horizon while it is
alive, discounted alike; negative for a value destroyer. Pinned on hand-checked figures."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from openkam.accounts.models import Account
from openkam.ledger.models import CostToServe
from openkam.portfolio.services import net_customer_value, portfolio_refresh
from openkam.portfolio.tests.test_refresh import AS_OF, ledger, snapshot

__all__ = ["ledger"]  # the fixture, shared with the refresh's tests
pytestmark = pytest.mark.django_db
# Present value of one currency unit a year, paid monthly in arrears over 36 months at 10 %
# a year: v = 1.1^(-1/12); (1/12) v (1 - v^36) / (1 - v) = 2.5988715 (closed form, not the
# implementation's sum).
ANNUITY_36_AT_10 = 2.5988715368515556


def test_undiscounted_a_year_of_serving_costs_a_year_of_cost_times_p_alive() -> None:
    net = net_customer_value(
        np.array([100_000.0, np.nan]),
        np.array([0.5, 0.9]),
        np.array([120_000.0, 1.0]),
        horizon_months=12,
        annual_discount_rate=0.0,
    )
    assert net[0] == pytest.approx(100_000 - 120_000 * 0.5)  # 40,000
    assert np.isnan(net[1])  # no CLV, no net value


def test_discounted_over_three_years_and_negative_when_serving_costs_more() -> None:
    net = net_customer_value(
        np.array([50_000.0]), np.array([1.0]), np.array([100_000.0]),
        horizon_months=36, annual_discount_rate=0.10,
    )  # fmt: skip
    assert net[0] == pytest.approx(50_000 - 100_000 * ANNUITY_36_AT_10)  # -209,887.15
    assert net[0] < 0


def _serve(account: Account, year: int, direct: str, indirect: str) -> None:
    for n, (kind, amount) in enumerate((("direct", direct), ("indirect", indirect))):
        CostToServe.objects.create(
            account=account, year=year, kind=kind, category="service", amount=Decimal(amount),
            source="test", external_id=f"{account.pk}-{year}-{n}",
        )  # fmt: skip


def test_the_refresh_stores_the_net_value_and_every_column_of_the_portfolio_analysis(
    ledger: dict[str, Account],
) -> None:
    mid, small = ledger["mid"], ledger["small"]
    _serve(mid, 2025, "300000", "900000")
    _serve(small, 2025, "0", "5000000")  # far more than its 50,000 a month brings
    portfolio_refresh(as_of=AS_OF)
    s = snapshot(mid)
    assert s.clv is not None
    assert s.clv_net is not None
    assert s.p_alive is not None
    expected = float(s.clv) - 1_200_000 * s.p_alive * ANNUITY_36_AT_10
    assert float(s.clv_net) == pytest.approx(expected, abs=0.01)
    destroyer = snapshot(small)
    assert destroyer.clv_net is not None
    assert destroyer.clv_net < 0
    last_year = s.portfolio_analysis["year_1"]
    # Cost of goods is 70 % of revenue in this ledger.
    assert last_year["revenue"] == float(s.revenue_year_1)
    assert last_year["cost_of_goods"] == pytest.approx(float(s.revenue_year_1) * 0.7)
    assert (last_year["direct_cost"], last_year["indirect_cost"]) == (300_000.0, 900_000.0)
    assert last_year["net_contribution"] == pytest.approx(float(s.net_contribution), abs=0.01)
    assert set(s.portfolio_analysis) == {"year_2", "year_1", "year_0", "forecast_1", "forecast_2"}
    forecast = s.portfolio_analysis["forecast_1"]
    assert forecast["revenue"] == pytest.approx(float(s.forecast_year_1), abs=0.01)
    assert forecast["indirect_cost"] == 900_000.0  # last year's cost to serve, held flat
