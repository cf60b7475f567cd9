"""The demo's contracts (openkam.demo.contracts): eight key accounts get the eight cases, so
every status appears, with an under-delivered contract, a renewal due and an amendment."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from openkam.accounts.models import Tier
from openkam.conftest import World
from openkam.contracts.execution import executions
from openkam.contracts.models import Amendment, Contract
from openkam.contracts.selectors import with_status
from openkam.contracts.tests.builders import bought
from openkam.demo.contracts import write_contracts
from openkam.factories import AccountFactory, AccountMonthFactory, ProductFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_every_status_appears_on_eight_key_accounts(world: World) -> None:
    product = ProductFactory.create(family="曳引机")
    for n in range(8):
        account = AccountFactory.create(tier=Tier.KEY, team=world.team)
        AccountMonthFactory.create(account=account, month=dt.date(2026, 3, 1),
                                   revenue=Decimal(1_000_000 + n))  # fmt: skip
        bought(account, product, on=dt.date(2026, 3, 5), amount="1000000", quantity="100")
    assert write_contracts(seed=1, today=TODAY) == 10  # two each for renewed and expired
    rows = list(with_status(Contract.objects.all(), today=TODAY).prefetch_related("items"))
    statuses = Counter(row.status for row in rows)  # type: ignore[attr-defined]
    # active: under-delivered, framework, the renewal, price agreement; expiring: the one
    # ending next month and the spot contract; the renewed one; expired with next year's draft.
    assert statuses == {"active": 4, "expiring": 2, "renewed": 1, "expired": 1, "draft": 1,
                        "terminated": 1}  # fmt: skip
    assert Amendment.objects.count() == 1
    short = [run.contract.number for run in executions(rows, as_of=TODAY) if run.shortfall > 0]
    assert "HT-2026-0001" in short  # the under-delivered one (1.6 x the last 12 months)
