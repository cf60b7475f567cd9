"""Campaigns, recipients and answers as the tests need them, written directly (the services
are tested apart)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from openkam.accounts.models import Account
from openkam.factories import ContactFactory
from openkam.relationships.models import Contact
from openkam.surveys.models import Campaign, Recipient, Response, token_hash
from openkam.surveys.services import default_template, new_token

NOON = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def campaign(name: str = "2026年5月满意度调查", *, end: dt.date = dt.date(2026, 5, 31),
             expires: dt.datetime | None = None) -> Campaign:  # fmt: skip
    return Campaign.objects.create(
        name=name, template=default_template(), period_start=end.replace(day=1), period_end=end,
        expires_at=expires or timezone.now() + dt.timedelta(days=14),
    )  # fmt: skip


def recipient(
    of: Campaign, contact: Contact, *, language: str = "zh-hans"
) -> tuple[Recipient, str]:
    """A recipient with a live link; returns it and its token."""
    token = new_token()
    made = Recipient.objects.create(
        campaign=of, account=contact.account, contact=contact, language=language,
        token_hash=token_hash(token), expires_at=of.expires_at,
    )  # fmt: skip
    return made, token


def answer(of: Campaign, contact: Contact, nps: int, *, csat: int | None = 4,
           at: dt.datetime | None = None, **fields: Any) -> Response:  # fmt: skip
    made, _token = recipient(of, contact)
    when = at or timezone.now()
    made.answered_at, made.token_hash = when, None
    made.save()
    values: dict[str, Any] = {"csat_product": csat, "csat_service": csat, "csat_sales": csat,
                              "language": "zh-hans", "channel": "link"}  # fmt: skip
    values.update(fields)
    return Response.objects.create(
        campaign=of, recipient=made, account=contact.account, contact=contact, nps=nps,
        answered_at=when, **values,
    )  # fmt: skip


def contact(account: Account, **fields: Any) -> Contact:
    return ContactFactory.create(account=account, **fields)


def their_campaign(account: Account) -> tuple[Campaign, Recipient]:
    """A campaign of another team's account with one recipient (the route walk's objects),
    made once."""
    found = Recipient.objects.filter(account=account, campaign__name="WALK").first()
    if found is not None:
        return found.campaign, found
    made = campaign("WALK")
    return made, recipient(made, contact(account, name="走查联系人"))[0]
