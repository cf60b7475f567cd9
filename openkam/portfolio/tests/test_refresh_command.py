"""`openkam refresh`: stores the snapshot, reports it, and has the company-wide dashboard ready
for the first executive who opens it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from openkam.conftest import World
from openkam.factories import AccountMonthFactory
from openkam.portfolio.models import AccountSnapshot, DashboardCache, PortfolioRun

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def refresh(*args: str) -> str:
    err = io.StringIO()
    call_command("refresh", *args, stderr=err)
    return err.getvalue()


def test_the_command_stores_a_snapshot_per_account_and_warms_the_dashboard(world: World) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 5, 1))
    refresh("--as-of", AS_OF.isoformat())
    run = PortfolioRun.objects.get()
    assert run.as_of == AS_OF
    assert AccountSnapshot.objects.filter(run=run).count() == 3
    assert DashboardCache.objects.filter(run=run).count() == 1


def test_no_warm_leaves_the_dashboard_to_its_first_visitor(world: World) -> None:
    refresh("--as-of", AS_OF.isoformat(), "--no-warm")
    assert PortfolioRun.objects.count() == 1
    assert not DashboardCache.objects.exists()


def test_a_bad_date_is_refused_and_nothing_runs(world: World) -> None:
    with pytest.raises(CommandError, match="2026-13-01"):
        refresh("--as-of", "2026-13-01")
    assert not PortfolioRun.objects.exists()
