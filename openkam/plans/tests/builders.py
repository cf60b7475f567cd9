"""Small builders for plan tests: snapshots as the refresh would have stored them, and plans
in a given status without walking every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openkam.accounts.models import Account
from openkam.plans.models import AccountPlan, Objective, PlanStatus
from openkam.portfolio.models import AccountSnapshot, PortfolioRun
from openkam.team.models import User


def snapshot(account: Account, as_of: dt.date, **figures: Any) -> AccountSnapshot:
    run, _created = PortfolioRun.objects.get_or_create(
        as_of=as_of, defaults={"status": PortfolioRun.Status.DONE}
    )
    values: dict[str, Any] = {"tier": account.tier, "tier_proposed": account.tier, **figures}
    return AccountSnapshot.objects.create(run=run, account=account, as_of=as_of, **values)


def plan(
    account: Account,
    *,
    owner: User | None = None,
    status: str = PlanStatus.DRAFT,
    year: int = 2026,
    **fields: Any,
) -> AccountPlan:
    return AccountPlan.objects.create(
        account=account,
        owner=owner or account.owner,
        title=f"{account} {year}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        status=status,
        **fields,
    )


def objective(account_plan: AccountPlan, **fields: Any) -> Objective:
    values: dict[str, Any] = {
        "metric": "revenue",
        "description": "营收目标",
        "target": Decimal("1200000"),
        "baseline": Decimal("1000000"),
        "starts_on": account_plan.period_start,
        "due_on": account_plan.period_end,
        **fields,
    }
    return Objective.objects.create(plan=account_plan, **values)
