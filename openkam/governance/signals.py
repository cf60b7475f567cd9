"""What the governance announces to the layers above it: `tier_approved` is sent once the
general manager's approvals are committed, with the approved proposals' ids. The alerts app
mails each account's KAM (openkam.alerts.notifications.notify_tier_approved); the KAM also
reads the decisions in-app on My week (openkam.governance.week)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

tier_approved = Signal()  # kwargs: proposal_ids: list[int]


def announce_approved(proposal_ids: list[int]) -> None:
    """Send `tier_approved` after the transaction commits (nothing when it rolls back)."""
    if proposal_ids:
        ids = list(proposal_ids)
        transaction.on_commit(lambda: tier_approved.send(sender=None, proposal_ids=ids))
