"""Writes about surveys. The account's writers (executive, director, KAM of the account's team)
create campaigns over the accounts they may change, remind recipients and type in the answers
of a phone interview; analysts and viewers read. The public answer goes through `answer_link`,
which knows nothing but the token.

A detractor's answer (NPS 0-6), or a contact's mean CSAT falling a point or more since their
answer before, logs the answer as an interaction of the account with a next step for the KAM:
"my week" shows it until it is done (the alert rule `survey_detractor` raises the alert).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Tier
from openkam.accounts.selectors import accounts_editable_by, writable_account_for
from openkam.common.errors import ValidationError
from openkam.interactions.models import Interaction, Kind, Status
from openkam.interactions.selectors import week_of
from openkam.interactions.services import interaction_log
from openkam.relationships.models import Contact
from openkam.surveys.defaults import DEFAULT
from openkam.surveys.models import (
    DIMENSIONS,
    Campaign,
    Channel,
    Language,
    Recipient,
    Response,
    SurveyTemplate,
    token_hash,
)
from openkam.surveys.scores import (
    CSAT_MAX,
    CSAT_MIN,
    DETRACTOR_UP_TO,
    NPS_MAX,
    NPS_MIN,
    mean,
)
from openkam.surveys.selectors import writable_campaign_for, writable_recipient_for
from openkam.team.models import User

# The key account programme: every tier above general (the alert rules watch the same ones).
KEY_TIERS = (Tier.STRATEGIC, Tier.KEY, Tier.MAJOR)
TOKEN_BYTES = 24  # 192 bits
FOLLOW_UP_DAYS = 2  # a detractor is called back within two days, in this week at the latest
CSAT_FALL = 1.0  # a contact's mean CSAT this far below their answer before asks a follow-up
MAX_RECIPIENTS = 5000


def default_template() -> SurveyTemplate:
    """The default template (seeded by the migration; made again if it was deleted)."""
    found = SurveyTemplate.objects.filter(is_default=True).first()
    return found or SurveyTemplate.objects.create(**DEFAULT)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def link_of(token: str) -> str:
    return settings.OPENKAM_SITE_URL.rstrip("/") + reverse("survey_answer", args=[token])


@dataclass(frozen=True)
class Link:
    recipient: Recipient
    url: str


def _issue(recipient: Recipient) -> Link:
    """A new token for the recipient: only its hash is kept; the link is returned once."""
    token = new_token()
    recipient.token_hash = token_hash(token)
    return Link(recipient, link_of(token))


@transaction.atomic
def campaign_create(
    *,
    user: User,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    expires_on: dt.date,
    template: SurveyTemplate | None = None,
    tiers: Sequence[str] = KEY_TIERS,
    account_ids: Sequence[int] = (),
    contact_ids: Sequence[int] = (),
    min_influence: int = 3,
    language: str = Language.ZH,
) -> tuple[Campaign, list[Link]]:
    """A campaign over the accounts the user may change (those named, else those of `tiers`)
    and their active contacts (those named, else those of `min_influence` or more), each
    with a personal link. Returns the campaign and the links (shown or mailed once)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the campaign a name.")
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if expires_on < timezone.localdate():
        errors["expires_on"] = _("The links cannot expire in the past.")
    if language not in Language.values:
        errors["language"] = _("Choose Chinese or English.")
    if not 1 <= min_influence <= 5:
        errors["min_influence"] = _("Influence runs from 1 to 5.")
    unknown_tiers = set(tiers) - set(Tier.values)
    if unknown_tiers:
        errors["tiers"] = _("Unknown tier: %(tiers)s") % {"tiers": ", ".join(sorted(unknown_tiers))}
    if errors:
        raise ValidationError(errors)
    accounts = accounts_editable_by(user)
    if account_ids:
        for pk in account_ids:
            writable_account_for(user, pk)
        accounts = accounts.filter(pk__in=account_ids)
    else:
        accounts = accounts.filter(tier__in=tiers)
    contacts = Contact.objects.filter(account__in=accounts, is_active=True)
    if contact_ids:
        contacts = contacts.filter(pk__in=contact_ids)
        if contacts.count() != len(set(contact_ids)):
            raise ValidationError(
                {"contact_ids": _("Only active contacts of the chosen accounts can be asked.")}
            )
    else:
        contacts = contacts.filter(influence_level__gte=min_influence)
    chosen = list(contacts.order_by("account_id", "pk").values_list("pk", "account_id"))
    if not chosen:
        raise ValidationError({"tiers": _("No active contact of these accounts to ask.")})
    if len(chosen) > MAX_RECIPIENTS:
        raise ValidationError(
            {"tiers": _("At most %(n)s recipients in one campaign.") % {"n": MAX_RECIPIENTS}}
        )
    expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59, 59)))
    campaign = Campaign.objects.create(
        name=name.strip(), template=template or default_template(), period_start=period_start,
        period_end=period_end, expires_at=expires_at, created_by=user,
    )  # fmt: skip
    links = []
    recipients = []
    for contact_id, account_id in chosen:
        recipient = Recipient(
            campaign=campaign, account_id=account_id, contact_id=contact_id,
            language=language, expires_at=expires_at,
        )  # fmt: skip
        links.append(_issue(recipient))
        recipients.append(recipient)
    Recipient.objects.bulk_create(recipients)
    return campaign, links


def _mail(link: Link, campaign: Campaign, *, reminder: bool) -> EmailMessage | None:
    contact = link.recipient.contact
    if not contact.email:
        return None
    with translation.override(link.recipient.language):
        subject = _("Reminder: %(name)s") if reminder else "%(name)s"
        body = _(
            "Dear %(contact)s,\n\nwe would value your opinion of our products, our service and "
            "our sales staff. The survey takes three minutes:\n\n%(url)s\n\nThe link is yours "
            "alone and works until %(until)s.\n"
        )
        values = {
            "name": campaign.template.text("name", link.recipient.language),
            "contact": contact.name,
            "url": link.url,
            "until": timezone.localtime(link.recipient.expires_at).strftime("%Y-%m-%d"),
        }
        return EmailMessage(subject % values, body % values, to=[contact.email])


def links_send(campaign: Campaign, links: Sequence[Link], *, reminder: bool = False) -> int:
    """Mail each link whose contact has an e-mail address (one connection); the others are
    handed over by the KAM (WeChat, phone). Returns how many mails were sent."""
    messages = [m for link in links if (m := _mail(link, campaign, reminder=reminder))]
    sent = get_connection().send_messages(messages) if messages else 0
    now = timezone.now()
    mailed = [link.recipient.pk for link in links if link.recipient.contact.email]
    Recipient.objects.filter(pk__in=mailed, sent_at__isnull=True).update(sent_at=now)
    return int(sent or 0)


def pending(campaign: Campaign, user: User) -> list[Recipient]:
    """The recipients the user sees who have not answered and whose link has not expired."""
    from openkam.surveys.selectors import recipients_visible_to

    return list(
        recipients_visible_to(user)
        .filter(campaign=campaign, answered_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("contact", "account")
        .order_by("account__legal_name", "contact__name")
    )


@transaction.atomic
def campaign_remind(*, user: User, campaign_id: int) -> list[Link]:
    """A new link for every pending recipient the user sees (the old one stops working: only
    hashes are stored, so a link cannot be sent twice), mailed where there is an address;
    the reminder's date is recorded. Returns the new links."""
    campaign = writable_campaign_for(user, campaign_id)
    now = timezone.now()
    links = []
    for recipient in pending(campaign, user):
        link = _issue(recipient)
        recipient.reminded_at = now
        recipient.reminders += 1
        recipient.save(update_fields=["token_hash", "reminded_at", "reminders", "updated_at"])
        links.append(link)
    links_send(campaign, links, reminder=True)
    return links


REMIND_AFTER_DAYS = 7  # `openkam surveys-remind` reminds links sent (or reminded) this long ago


def reminders_due(*, days: int, now: dt.datetime | None = None) -> list[Recipient]:
    """Recipients of every campaign whose link is unanswered and unexpired and was last sent
    (or reminded; else made) `days` days ago or more, and who were not reminded today."""
    if days < 0:
        raise ValidationError({"days": _("The number of days cannot be negative.")})
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    today = timezone.localtime(now).date()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    rows = (
        Recipient.objects.filter(answered_at__isnull=True, expires_at__gt=now)
        .annotate(last=Coalesce("reminded_at", "sent_at", "created_at"))
        .filter(last__lte=cutoff)
        .exclude(reminded_at__gte=start_of_day)
        .select_related("campaign__template", "contact", "account")
        .order_by("campaign_id", "account__legal_name", "contact__name", "pk")
    )
    return list(rows)


def reminders_send(*, days: int = REMIND_AFTER_DAYS, now: dt.datetime | None = None) -> list[Link]:
    """The reminder round of `openkam surveys-remind`: a new link for each recipient due
    (reminders_due; the old link stops working, as a reminder from the campaign page does),
    mailed where the contact has an address; each recipient's reminder is counted and dated,
    so a second run the same day reminds nobody. Returns the new links."""
    due = reminders_due(days=days, now=now)
    now = now or timezone.now()
    links: list[Link] = []
    with transaction.atomic():
        for recipient in due:
            link = _issue(recipient)
            recipient.reminded_at = now
            recipient.reminders += 1
            recipient.save(update_fields=["token_hash", "reminded_at", "reminders", "updated_at"])
            links.append(link)
    by_campaign: dict[int, list[Link]] = {}
    for link in links:
        by_campaign.setdefault(link.recipient.campaign_id, []).append(link)
    for campaign_links in by_campaign.values():
        links_send(campaign_links[0].recipient.campaign, campaign_links, reminder=True)
    return links


# --- answers -------------------------------------------------------------------------------


def _int_in(value: Any, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if low <= number <= high else -1


def clean_answers(data: dict[str, Any]) -> dict[str, Any]:
    """The answers as the model stores them, or ValidationError naming each bad field: CSAT
    1-5 (optional), NPS 0-10 (required), a comment of up to 2,000 characters."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for dimension in DIMENSIONS:
        value = _int_in(data.get(f"csat_{dimension}"), CSAT_MIN, CSAT_MAX)
        if value == -1:
            errors[f"csat_{dimension}"] = _("Choose a score from 1 to 5.")
        cleaned[f"csat_{dimension}"] = value
    score = _int_in(data.get("nps"), NPS_MIN, NPS_MAX)
    if score is None or score == -1:
        errors["nps"] = _("Choose a score from 0 to 10.")
    cleaned["nps"] = score
    comment = str(data.get("comment") or "").strip()
    if len(comment) > 2000:
        errors["comment"] = _("At most 2,000 characters.")
    cleaned["comment"] = comment
    if errors:
        raise ValidationError(errors)
    return cleaned


class LinkUnusable(Exception):
    """The token is unknown, used or expired: the page says only that it cannot be used."""


def recipient_by_token(token: str) -> Recipient:
    """The recipient whose usable link this is, or LinkUnusable (whatever the reason)."""
    if not token or len(token) > 100:
        raise LinkUnusable
    found = (
        Recipient.objects.select_related("campaign__template", "contact", "account")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if found is None or not found.usable():
        raise LinkUnusable
    return found


def _save_answer(
    recipient: Recipient, answers: dict[str, Any], *, channel: str, by: User | None
) -> Response:
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if locked.answered_at is not None:
        raise LinkUnusable
    now = timezone.now()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign_id=locked.campaign_id, recipient=locked, account_id=locked.account_id,
                contact_id=locked.contact_id, language=locked.language, channel=channel,
                entered_by=by, answered_at=now, **answers,
            )  # fmt: skip
    except IntegrityError as error:  # a second submit racing the first
        raise LinkUnusable from error
    locked.answered_at = now
    locked.token_hash = None  # the link is spent: nothing can answer through it again
    locked.save(update_fields=["answered_at", "token_hash", "updated_at"])
    follow_up(response)
    return response


@transaction.atomic
def answer_link(*, token: str, data: dict[str, Any]) -> Response:
    """The recipient's own answer through their link (no login): LinkUnusable for an unknown,
    used or expired token, ValidationError for bad answers; nothing is stored on either."""
    recipient = recipient_by_token(token)
    answers = clean_answers(data)
    return _save_answer(recipient, answers, channel=Channel.LINK, by=None)


@transaction.atomic
def answer_enter(
    *, user: User, recipient_id: int, data: dict[str, Any], channel: str = Channel.PHONE
) -> Response:
    """Answers a colleague took down (a phone interview or a visit), marked as entered by them.
    The recipient's link stops working; an answered recipient cannot be answered again."""
    recipient = writable_recipient_for(user, recipient_id)
    if channel not in (Channel.PHONE, Channel.VISIT):
        raise ValidationError({"channel": _("Staff enter answers of a phone call or a visit.")})
    if recipient.answered_at is not None:
        raise ValidationError({"recipient_id": _("This contact has already answered.")})
    answers = clean_answers(data)
    try:
        return _save_answer(recipient, answers, channel=channel, by=user)
    except LinkUnusable as error:
        raise ValidationError({"recipient_id": _("This contact has already answered.")}) from error


def answer_before(response: Response) -> Response | None:
    """The contact's answer before this one (None for their first)."""
    return (
        Response.objects.filter(
            contact_id=response.contact_id, answered_at__lt=response.answered_at
        )
        .exclude(pk=response.pk)
        .order_by("-answered_at", "-pk")
        .first()
    )


def needs_follow_up_after(response: Response, before: Response | None) -> bool:
    """A detractor, or a contact whose mean CSAT fell CSAT_FALL or more since their answer
    `before` (a caller that has the answers in hand passes it; needs_follow_up reads it)."""
    if response.nps <= DETRACTOR_UP_TO:
        return True
    now_csat, then_csat = response.csat, before.csat if before else None
    return now_csat is not None and then_csat is not None and then_csat - now_csat >= CSAT_FALL


@dataclass(frozen=True)
class FollowUpTexts:
    subject: str
    notes: str
    next_step: str


def follow_up_texts(response: Response) -> FollowUpTexts:
    """What the follow-up of an answer says, in the company's language: the interaction's
    subject and notes and its next step (cut to their fields' lengths)."""
    contact = response.contact
    with translation.override(settings.LANGUAGE_CODE):
        csat = mean([response.csat_product, response.csat_service, response.csat_sales])
        subject = _("Survey answer of %(contact)s: recommendation %(nps)s/10") % {
            "contact": contact.name,
            "nps": response.nps,
        }
        notes = _("CSAT %(csat)s; comment: %(comment)s") % {
            "csat": f"{csat:.1f}" if csat is not None else "—",
            "comment": response.comment or "—",
        }
        step = _("Call %(contact)s back about their survey answer") % {"contact": contact.name}
    return FollowUpTexts(subject=subject[:200], notes=notes, next_step=step[:300])


def follow_up_due(today: dt.date) -> dt.date:
    """FOLLOW_UP_DAYS ahead, but no later than this week's Sunday: "my week" lists it."""
    return min(today + dt.timedelta(days=FOLLOW_UP_DAYS), week_of(today)[1])


def needs_follow_up(response: Response) -> bool:
    return response.nps <= DETRACTOR_UP_TO or needs_follow_up_after(
        response, answer_before(response)
    )


def follow_up(response: Response) -> Interaction | None:
    """For a detractor or a falling score: the answer logged on the account's timeline with a
    next step for its KAM (else whoever entered it), due in FOLLOW_UP_DAYS."""
    if not needs_follow_up(response):
        return None
    account = Account.objects.select_related("owner").get(pk=response.account_id)
    owner = account.owner if account.owner and account.owner.is_active else response.entered_by
    if owner is None:
        return None
    contact = response.contact
    texts = follow_up_texts(response)
    interaction = interaction_log(
        account=account, author=owner, kind=Kind.EMAIL, status=Status.DONE,
        starts_at=response.answered_at, subject=texts.subject, notes=texts.notes,
        our_participants=[owner], their_participants=[contact] if contact.is_active else [],
        next_step=texts.next_step, next_step_owner=owner,
        next_step_due=follow_up_due(timezone.localdate()),
        duration_minutes=5,
    )  # fmt: skip
    Response.objects.filter(pk=response.pk).update(follow_up=interaction)
    response.follow_up = interaction
    return interaction
