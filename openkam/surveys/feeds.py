"""What the surveys give the portfolio refresh (registered in apps.py through
portfolio.hooks): per account, the mean CSAT of its latest surveyed campaign, that on the
loyalty preference axis's 0..1 scale, and its change since the campaign surveyed before (the
churn signal `satisfaction_drop` fires at a fall of one point or more on the 1-5 scale)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from django.utils import timezone

from openkam.portfolio.hooks import Satisfaction
from openkam.surveys.models import Response
from openkam.surveys.scores import change, csat_level, mean


def account_csat_by_campaign(
    as_of: dt.date, account_ids: Any = None
) -> dict[int, list[tuple[tuple[dt.date, int], float]]]:
    """Per account, ((period end, campaign id), mean CSAT) of each campaign it answered up to
    `as_of`, oldest first. The mean is over answers, each answer's own mean of its dimensions."""
    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    rows = Response.objects.filter(answered_at__lt=end)
    if account_ids is not None:
        rows = rows.filter(account_id__in=list(account_ids))
    answers: dict[tuple[int, tuple[dt.date, int]], list[float]] = defaultdict(list)
    for account_id, campaign_id, period_end, *csat in rows.values_list(
        "account_id", "campaign_id", "campaign__period_end",
        "csat_product", "csat_service", "csat_sales",
    ):  # fmt: skip
        one = mean(csat)
        if one is not None:
            answers[(account_id, (period_end, campaign_id))].append(one)
    found: dict[int, list[tuple[tuple[dt.date, int], float]]] = defaultdict(list)
    for (account_id, campaign), values in sorted(answers.items()):
        found[account_id].append((campaign, sum(values) / len(values)))
    return found


def satisfaction_figures(ids: Any, as_of: dt.date) -> Satisfaction:
    """The refresh's satisfaction arrays, aligned with `ids` (sorted account ids)."""
    ids = np.asarray(ids, dtype=np.int64)
    n = ids.size
    csat, level, moved = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for account_id, campaigns in account_csat_by_campaign(as_of).items():
        position = int(np.searchsorted(ids, account_id))
        if position >= n or ids[position] != account_id:
            continue
        latest = campaigns[-1][1]
        before = campaigns[-2][1] if len(campaigns) > 1 else None
        csat[position] = latest
        level[position] = csat_level(latest)
        delta = change(latest, before)
        moved[position] = np.nan if delta is None else delta
    return Satisfaction(csat=csat, level=level, change=moved)
