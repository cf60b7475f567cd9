"""Telling people about their alerts. In the application always: My alerts and the bell read
the alerts themselves, so nothing is stored for them. By mail, through Django's mail framework
(EMAIL_* settings, the console by default): a daily digest (`openkam alerts --digest`) of what
was raised or escalated for a user since their last digest, and a mail at once, after an
evaluation, for the rules a user chose. Each mail is written in its reader's language.

Both read in bulk: one query for the preferences, one for the alerts, one for the accounts;
then one mail per user, sent over one connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from openkam.accounts.models import Account
from openkam.alerts.models import ACTIVE_STATES, Alert, NotificationPreference
from openkam.alerts.rules import message_of, title_of
from openkam.portfolio.models import TierProposal
from openkam.team.models import User

# The most alerts listed in one mail; the rest are counted and wait on My alerts.
MAIL_MAX_ITEMS = 30
# A first digest reaches back one day.
FIRST_DIGEST = dt.timedelta(days=1)


@dataclass(frozen=True)
class Line:
    """One alert as a mail lists it (worded in the reader's language)."""

    title: str
    account: str
    level: str
    message: str
    value_at_risk: object
    escalated: bool
    url: str


def _site_url(path: str) -> str:
    return settings.OPENKAM_SITE_URL.rstrip("/") + path


def _lines(alerts: Sequence[Alert], names: dict[int, str]) -> list[Line]:
    return [
        Line(
            title=title_of(alert.rule),
            account=names.get(alert.account_id, str(alert.account_id)),
            level=str(alert.get_level_display()),
            message=message_of(alert.rule, alert.params),
            value_at_risk=alert.value_at_risk,
            escalated=alert.escalated_at is not None,
            url=_site_url(reverse("alerts:detail", args=[alert.pk])),
        )
        for alert in alerts[:MAIL_MAX_ITEMS]
    ]


def _mail(
    user: User, language: str, template: str, alerts: Sequence[Alert], names: dict[int, str]
) -> EmailMessage:
    with translation.override(language):
        context = {
            "user": user,
            "lines": _lines(alerts, names),
            "count": len(alerts),
            "more": max(len(alerts) - MAIL_MAX_ITEMS, 0),
            "mine_url": _site_url(reverse("alerts:mine")),
            "preferences_url": _site_url(reverse("alerts:preferences")),
        }
        subject = render_to_string(f"alerts/mail/{template}_subject.txt", context)
        body = render_to_string(f"alerts/mail/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])


def _preferences(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids))
    return {row.user_id: row for row in rows}


def _account_names(alerts: Iterable[Alert]) -> dict[int, str]:
    ids = {alert.account_id for alert in alerts}
    rows = Account.objects.filter(pk__in=ids).values_list("pk", "short_name", "legal_name")
    return {pk: short or legal for pk, short, legal in rows}


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


# --- At once, after an evaluation -----------------------------------------------------------


def notify_raised(alerts: Sequence[Alert]) -> int:
    """Mail each assignee who chose a rule the alerts raised or escalated for them, one mail per
    user; the number of mails sent."""
    assignees = {a.assignee_id for a in alerts if a.assignee_id is not None}
    if not assignees:
        return 0
    chosen = {pk: pref for pk, pref in _preferences(assignees).items() if pref.immediate_rules}
    wanted: dict[int, list[Alert]] = {}
    for alert in alerts:
        pref = chosen.get(alert.assignee_id or 0)
        if pref is not None and alert.rule in pref.immediate_rules:
            wanted.setdefault(pref.user_id, []).append(alert)
    if not wanted:
        return 0
    users = {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True).exclude(email="")}
    names = _account_names(a for found in wanted.values() for a in found)
    messages = [
        _mail(users[pk], chosen[pk].mail_language(), "immediate", _ranked(found), names)
        for pk, found in wanted.items()
        if pk in users
    ]
    return _send(messages)


def _ranked(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (-a.value_at_risk, -a.level, a.pk or 0))


# --- The daily digest ---------------------------------------------------------------------


def _news_since(alert: Alert, since: dt.datetime) -> bool:
    return alert.first_seen > since or (
        alert.escalated_at is not None and alert.escalated_at > since
    )


def digest_send(*, now: dt.datetime | None = None) -> int:
    """Send every user who wants the digest (the default) the active, awake alerts raised or
    escalated for them since their last digest (a day back the first time), and record when;
    a user with nothing new gets no mail. The number of mails sent."""
    moment = now or timezone.now()
    users = {u.pk: u for u in User.objects.filter(is_active=True).exclude(email="")}
    prefs = _preferences(users)
    wanting = {pk for pk in users if prefs.get(pk) is None or prefs[pk].digest}
    since = {
        pk: (prefs[pk].last_digest_at if pk in prefs and prefs[pk].last_digest_at else None)
        or moment - FIRST_DIGEST
        for pk in wanting
    }
    if not since:
        return 0
    earliest = min(since.values())
    today = timezone.localdate(moment)
    candidates = Alert.objects.filter(
        Q(first_seen__gt=earliest) | Q(escalated_at__gt=earliest),
        assignee_id__in=wanting,
        state__in=ACTIVE_STATES,
    ).filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
    news: dict[int, list[Alert]] = {}
    for alert in candidates.iterator(chunk_size=2000):
        assignee = alert.assignee_id
        if assignee is not None and _news_since(alert, since[assignee]):
            news.setdefault(assignee, []).append(alert)
    names = _account_names(a for found in news.values() for a in found)
    messages = [
        _mail(users[pk], _language(prefs.get(pk)), "digest", _ranked(found), names)
        for pk, found in news.items()
    ]
    sent = _send(messages)
    _record_digest(wanting, prefs, moment)
    return sent


def _language(pref: NotificationPreference | None) -> str:
    return pref.mail_language() if pref is not None else settings.LANGUAGE_CODE


def _record_digest(
    user_ids: set[int], prefs: dict[int, NotificationPreference], moment: dt.datetime
) -> None:
    missing = [NotificationPreference(user_id=pk) for pk in user_ids if pk not in prefs]
    NotificationPreference.objects.bulk_create(missing, ignore_conflicts=True)
    NotificationPreference.objects.filter(user_id__in=list(user_ids)).update(last_digest_at=moment)


# --- The tier review's approvals (the governance's signal) ------------------------------------


def notify_tier_approved(proposal_ids: Sequence[int]) -> int:
    """Mail each account's KAM the tiers the general manager approved on their accounts (one
    mail per KAM, in their language); the number of mails sent."""
    proposals = list(
        TierProposal.objects.filter(pk__in=list(proposal_ids), status="approved")
        .select_related("account", "account__owner", "review")
        .order_by("account__legal_name", "pk")
    )
    by_kam: dict[int, list[TierProposal]] = {}
    kams: dict[int, User] = {}
    for proposal in proposals:
        owner = proposal.account.owner
        if owner is None or not owner.is_active or not owner.email:
            continue
        kams[owner.pk] = owner
        by_kam.setdefault(owner.pk, []).append(proposal)
    prefs = _preferences(by_kam)
    messages = []
    for pk, found in by_kam.items():
        with translation.override(_language(prefs.get(pk))):
            context = {
                "user": kams[pk],
                "count": len(found),
                "lines": [
                    {
                        "account": p.account.short_name or p.account.legal_name,
                        "before": p.get_current_tier_display(),
                        "after": p.get_proposed_tier_display(),
                        "review": p.review.year if p.review else "",
                        "comment": p.decision_comment,
                        "url": _site_url(p.account.get_absolute_url()),
                    }
                    for p in found
                ],
                "week_url": _site_url(reverse("interactions:my_week")),
            }
            subject = render_to_string("governance/mail/tier_approved_subject.txt", context)
            body = render_to_string("governance/mail/tier_approved.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[kams[pk].email]))
    return _send(messages)


def tier_approved_received(sender: object, proposal_ids: Sequence[int], **kwargs: object) -> None:
    notify_tier_approved(proposal_ids)
