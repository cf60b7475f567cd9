"""Icons and colours of interactions on the pages, and the account page's relationship card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import F
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.interactions.models import Interaction, Status
from openkam.interactions.selectors import account_contact_due, with_contact_last_met
from openkam.relationships.models import Contact

register = template.Library()

KIND_ICONS = {
    "visit": "ti-building-community",
    "call": "ti-phone",
    "meeting": "ti-users-group",
    "training": "ti-school",
    "event": "ti-calendar-event",
    "email": "ti-mail",
}
STATUS_COLORS = {"planned": "azure", "done": "green", "cancelled": "secondary"}


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "ti-message")


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


@register.filter
def days_since(day: dt.date | None, today: dt.date) -> int | None:
    """Whole days from `day` to `today` (how overdue a due date is)."""
    if day is None:
        return None
    return (today - day).days


KEY_CONTACTS = 3
OPEN_STEPS = 4


@register.inclusion_tag("interactions/_account_card.html", takes_context=True)
def account_relationship_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The relationship at a glance, first among the account page's cards: the last contact
    and the next one planned, when the tier's cadence wants the next, the open next steps with
    their owners (the first due first) and the key contacts (highest influence first) with
    their support and when they were last met. Six queries."""
    today = timezone.localdate()
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    mine = Interaction.objects.filter(account=account)
    last = mine.filter(status=Status.DONE).order_by("-starts_at", "-pk").first()
    coming = (
        mine.filter(status=Status.PLANNED, starts_at__gte=start_of_today)
        .order_by("starts_at", "pk")
        .first()
    )
    steps = list(
        mine.filter(next_step_done=False)
        .exclude(next_step="")
        .select_related("next_step_owner")
        .order_by(F("next_step_due").asc(nulls_last=True), "pk")[:OPEN_STEPS]
    )
    contacts = list(
        with_contact_last_met(Contact.objects.filter(account=account, is_active=True)).order_by(
            "-influence_level", "-support", "name"
        )[:KEY_CONTACTS]
    )
    # The cadence's rule, in its one place (a lost account is owed none; one never met has
    # been due since it was recorded).
    cadence = account_contact_due(account)
    due = cadence["contact_due_on"]
    return {
        "account": account,
        "last": last,
        "coming": coming,
        "due": due,
        "overdue": due is not None and due < today and coming is None,
        "every_days": cadence["every_days"],
        "steps": steps,
        "contacts": contacts,
        "today": today,
        "can_write": bool(context.get("can_write")),
    }
