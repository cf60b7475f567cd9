import numpy as np
import pytest

from openkam.analytics.receivables import (
    ageing,
    credit_limit_use,
    days_sales_outstanding,
    receivables_turnover,
)


def test_open_amounts_fall_into_the_right_buckets() -> None:
    result = ageing(
        account=[0, 0, 0, 0, 0, 0, 0, 1, 1],
        open_amount=[100, 200, 300, 400, 500, 50, 999, 70, 0],
        age_days=[0, 30, 31, 90, 181, -5, 120, 61, 400],
        n_accounts=2,
    )
    # account 0: 0-30 = 100+200; 31-60 = 300; 61-90 = 400; 91-180 = 999; >180 = 500
    assert result.buckets.tolist() == [[300, 300, 400, 999, 500], [0, 0, 70, 0, 0]]
    assert result.not_yet_due.tolist() == [50, 0]
    assert result.total.tolist() == [2549, 70]
    assert result.share_older_than(2)[0] == pytest.approx(1499 / 2549)


def test_dso_turnover_and_credit_use_by_hand() -> None:
    # 1,000,000 open at year end on 6,000,000 yearly sales: 1/6 of 365 days
    assert days_sales_outstanding([1e6], [6e6], 365)[0] == pytest.approx(60.8333, rel=1e-4)
    assert receivables_turnover([6e6], [0.5e6], [1.5e6])[0] == pytest.approx(6.0)
    assert credit_limit_use([1e6, 5.0], [2e6, 0])[0] == pytest.approx(0.5)
    assert np.isnan(credit_limit_use([5.0], [0])[0])
    assert np.isnan(days_sales_outstanding([1.0], [0.0], 365)[0])
