"""Opportunities built for tests, straight into the tables (the services are tested apart)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openkam.accounts.models import Account
from openkam.pipeline.models import Opportunity, Stage, StageChange
from openkam.team.models import User


def opportunity(
    account: Account,
    *,
    owner: User | None = None,
    amount: str = "100000",
    stage: str = Stage.NEEDS_ANALYSIS,
    close: dt.date = dt.date(2026, 7, 15),
    title: str = "电梯改造",
    **fields: Any,
) -> Opportunity:
    now = timezone.now()
    row = Opportunity.objects.create(
        account=account,
        owner=owner or account.owner,  # type: ignore[misc]
        title=title,
        amount=Decimal(amount),
        stage=stage,
        expected_close=close,
        stage_changed_at=now,
        **fields,
    )
    StageChange.objects.create(opportunity=row, from_stage="", to_stage=stage, at=now)
    return row
