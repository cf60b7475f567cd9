from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def sync_group_coverage(as_of: dt.date) -> None:
    """After every refresh: group contracts cover the group's members as they are now."""
    from openkam.contracts.services import contract_coverage_sync_all

    contract_coverage_sync_all()


def roll_over_renewals(as_of: dt.date) -> None:
    """After every refresh: contracts that renew automatically and whose end has passed (by
    the refresh's date, never later than today) roll over to their next term."""
    from django.utils import timezone

    from openkam.contracts.services import contracts_roll_over

    contracts_roll_over(as_of=min(as_of, timezone.localdate()))


class ContractsConfig(AppConfig):
    name = "openkam.contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from openkam.portfolio.hooks import register_after_refresh

        register_after_refresh(roll_over_renewals)
        register_after_refresh(sync_group_coverage)
