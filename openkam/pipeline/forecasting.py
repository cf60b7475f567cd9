"""The weighted pipeline as a starting forecast (issue 18, offered on issue 14's forecast page):
per account, its open opportunities expected to close in a quarter, each weighted by its
stage's probability (selectors.probabilities: the stored ones over the defaults), in the house
currency (an opportunity in another currency is not summed, as on the pipeline page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from openkam.pipeline.models import OPEN_STAGES, Opportunity
from openkam.pipeline.selectors import probabilities

CENT = Decimal("0.01")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The quarter's first day and the first day after it."""
    start = dt.date(year, (quarter - 1) * 3 + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, quarter * 3 + 1, 1)
    return start, end


def weighted_pipeline(account_ids: Iterable[int], year: int, quarter: int) -> dict[int, Decimal]:
    """{account id: Σ amount × probability ÷ 100 of its open opportunities expected to close in
    the quarter}, to the cent; accounts without any are left out. One query (plus the stage
    probabilities), summed exactly in Decimal."""
    ids = list(account_ids)
    if not ids:
        return {}
    start, end = quarter_bounds(year, quarter)
    chances = probabilities()
    rows = Opportunity.objects.filter(
        account_id__in=ids,
        stage__in=OPEN_STAGES,
        expected_close__gte=start,
        expected_close__lt=end,
        currency=str(settings.OPENKAM_CURRENCY),
    ).values_list("account_id", "amount", "stage")
    totals: dict[int, Decimal] = {}
    for account_id, amount, stage in rows:
        share = amount * Decimal(chances.get(stage, 0)) / Decimal(100)
        totals[account_id] = totals.get(account_id, Decimal("0")) + share
    return {pk: total.quantize(CENT, rounding=ROUND_HALF_UP) for pk, total in totals.items()}
