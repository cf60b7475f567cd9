"""Revenue moves like a Chinese B2B business: Spring Festival dip, year-end push, growing and
declining customers."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import generate
from openkam.ledger.models import AccountMonth

pytestmark = pytest.mark.django_db


def test_february_is_weaker_and_december_stronger_than_the_average_month() -> None:
    generate(years=3)
    by_month: dict[int, list[Decimal]] = defaultdict(list)
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for first_day, revenue in AccountMonth.objects.values_list("month", "revenue"):
        totals[(first_day.year, first_day.month)] += revenue
    for (year, number), total in totals.items():
        if (year, number) not in {min(totals), max(totals)}:  # the partial first and last month
            by_month[number].append(total)
    average = {month: sum(values, Decimal(0)) / len(values) for month, values in by_month.items()}
    overall = sum(average.values(), Decimal(0)) / len(average)
    assert average[2] < Decimal("0.9") * overall
    assert average[12] > Decimal("1.1") * overall


def test_deepening_accounts_grow_and_churn_warnings_shrink(demo: DemoReport) -> None:
    """The second year of the two-year ledger against the first."""
    split = demo.start.replace(year=demo.start.year + 1, day=1)
    sums: dict[tuple[str, bool], Decimal] = defaultdict(Decimal)
    rows = AccountMonth.objects.values_list("account__lifecycle_stage", "month", "revenue")
    for stage, month, revenue in rows:
        sums[(stage, month >= split)] += revenue
    assert sums[("deepening", True)] > sums[("deepening", False)]
    assert sums[("churn_warning", True)] < sums[("churn_warning", False)]
    assert sums[("lost", True)] < sums[("lost", False)] / 2
