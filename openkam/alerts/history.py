"""An alert's history as its page shows it: one line per change, newest first, with who made
it (the engine when nobody did) and what the change was, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from openkam.alerts.models import Alert, AlertState, Level

# The change reasons the engine and the services store (alerts.services._because).
REASONS = {
    "raised": _("Raised"),
    "escalated": _("Escalated"),
    "condition cleared": _("Condition cleared"),
    "acknowledged": _("Acknowledged"),
    "resolved": _("Resolved"),
    "dismissed": _("Dismissed"),
    "snoozed": _("Snoozed"),
    "assigned": _("Reassigned"),
}


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    what: str
    state: str
    level: str
    assignee: str
    snoozed_until: Any
    note: str


def _note(row: Any) -> str:
    reason = row.history_change_reason or ""
    if reason == "dismissed":
        return str(row.dismiss_reason)
    if reason == "resolved":
        return str(row.resolution)
    return ""


def history_rows(alert: Alert) -> list[Change]:
    """Every stored change of the alert (one query)."""
    history = alert.history.select_related("history_user", "assignee")
    rows = history.order_by("-history_date", "-history_id")
    return [
        Change(
            when=row.history_date,
            who=str(row.history_user) if row.history_user else "",
            what=str(REASONS.get(row.history_change_reason or "", row.history_change_reason or "")),
            state=str(AlertState(row.state).label) if row.state in AlertState.values else row.state,
            level=str(Level(row.level).label) if row.level in Level.values else str(row.level),
            assignee=str(row.assignee) if row.assignee_id and row.assignee else "",
            snoozed_until=row.snoozed_until,
            note=_note(row),
        )
        for row in rows
    ]
