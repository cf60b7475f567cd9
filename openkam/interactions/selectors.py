"""Reads about interactions: the cadence each tier is owed, who is overdue, timelines and a
KAM's week. Overdue figures are computed in the database, never by looping over rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from openkam.accounts.models import Account
from openkam.interactions.models import (
    DEFAULT_CADENCE_DAYS,
    ContactCadence,
    Interaction,
    Status,
)
from openkam.relationships.models import Contact
from openkam.team.models import Role, User

ContactLink = Interaction.their_participants.through


def cadence_days() -> dict[str, int]:
    """Days between two contacts per tier: the configured rows over the defaults."""
    days = dict(DEFAULT_CADENCE_DAYS)
    days.update(ContactCadence.objects.values_list("tier", "every_days"))
    return days


class AddDays(Func):
    """date + whole days, on SQLite (dates are ISO text) and PostgreSQL (date + integer)."""

    output_field = DateField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def _tier_cadence(days: dict[str, int]) -> Case:
    return Case(
        *(When(tier=tier, then=Value(n)) for tier, n in days.items()),
        default=Value(max(days.values())),
        output_field=IntegerField(),
    )


def _last_done(**link: object) -> Subquery:
    done = Interaction.objects.filter(status=Status.DONE, **link).order_by("-starts_at")
    return Subquery(done.values("starts_at")[:1], output_field=DateTimeField())


def with_contact_due(
    accounts: QuerySet[Account], *, cadence: dict[str, int] | None = None
) -> QuerySet[Account]:
    """Accounts annotated with `last_contact_on` (the day of the last interaction done) and
    `contact_due_on` (that day plus the tier's cadence; an account never contacted has been
    due since it was recorded)."""
    days = cadence if cadence is not None else cadence_days()
    return accounts.annotate(
        last_contact_on=TruncDate(_last_done(account=OuterRef("pk")), output_field=DateField()),
        contact_due_on=Coalesce(
            AddDays(F("last_contact_on"), _tier_cadence(days)),
            TruncDate("created_at", output_field=DateField()),
            output_field=DateField(),
        ),
    )


def account_contact_due(account: Account) -> dict[str, Any]:
    """The account's last contact, when the next one is due and the cadence that says so."""
    cadence = cadence_days()
    row = (
        with_contact_due(Account.objects.filter(pk=account.pk), cadence=cadence)  # type: ignore[misc]
        .values("last_contact_on", "contact_due_on")
        .get()
    )
    return {**row, "every_days": cadence.get(account.tier)}


def overdue_accounts(
    accounts: QuerySet[Account], *, today: dt.date, cadence: dict[str, int] | None = None
) -> QuerySet[Account]:
    """The accounts among `accounts` whose return visit is overdue on `today`, most overdue
    first, annotated with `last_contact_on` and `contact_due_on`."""
    return (
        with_contact_due(accounts, cadence=cadence)
        .filter(contact_due_on__lt=today)  # type: ignore[misc]
        .order_by("contact_due_on", "pk")
    )


def with_contact_last_met(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts annotated with `last_met_on` and, for those who want contact every N days,
    `contact_due_on` (never met: due since recorded; no wish: None)."""
    # MAX over the contact's links, not ORDER BY ... LIMIT 1: with the ordering SQLite walks
    # the (status, starts_at) index of every interaction for each contact never met.
    last = (
        ContactLink.objects.filter(contact_id=OuterRef("pk"), interaction__status=Status.DONE)  # type: ignore[misc]
        .values("contact_id")
        .annotate(last=Max("interaction__starts_at"))
        .values("last")
    )
    last_met_at = Subquery(last, DateTimeField())
    return contacts.annotate(
        last_met_on=TruncDate(last_met_at, output_field=DateField()),
        contact_due_on=Case(
            When(contact_every_days__isnull=True, then=Value(None, DateField())),
            default=Coalesce(
                AddDays(F("last_met_on"), F("contact_every_days")),
                TruncDate("created_at", output_field=DateField()),
                output_field=DateField(),
            ),
            output_field=DateField(),
        ),
    )


def overdue_contacts(contacts: QuerySet[Contact], *, today: dt.date) -> QuerySet[Contact]:
    """Active contacts whose wanted contact frequency has lapsed on `today`, most overdue
    first."""
    return (
        with_contact_last_met(contacts.filter(is_active=True))
        .filter(contact_due_on__lt=today)  # type: ignore[misc]
        .order_by("contact_due_on", "pk")
    )


def timeline(account: Account, *, kind: str = "", status: str = "") -> QuerySet[Interaction]:
    """The account's interactions, newest first, with participants loaded."""
    interactions = account.interactions.all()
    if kind:
        interactions = interactions.filter(kind=kind)
    if status:
        interactions = interactions.filter(status=status)
    return interactions.select_related("next_step_owner", "created_by").prefetch_related(
        "our_participants", "their_participants"
    )


def my_accounts(user: User, visible: QuerySet[Account]) -> QuerySet[Account]:
    """The accounts a user looks after: a KAM's own; a director's teams; for others all they
    see."""
    if user.role == Role.KAM:
        return visible.filter(owner=user)
    if user.role == Role.DIRECTOR:
        return visible.filter(Q(team__director=user) | Q(owner=user))
    return visible


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding `today`."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass
class Week:
    monday: dt.date
    sunday: dt.date
    planned: QuerySet[Interaction]
    next_steps: QuerySet[Interaction]
    overdue_accounts: QuerySet[Account]
    overdue_contacts: QuerySet[Contact]


def my_week(user: User, *, visible: QuerySet[Account], today: dt.date) -> Week:
    """Planned interactions of the week the user takes part in, their open next steps due by
    Sunday (overdue ones included), and the overdue accounts and contacts they look after."""
    monday, sunday = week_of(today)
    mine = my_accounts(user, visible)
    planned = (
        Interaction.objects.filter(
            Q(our_participants=user) | Q(created_by=user),
            account__in=visible,
            status=Status.PLANNED,
            starts_at__date__gte=monday,
            starts_at__date__lte=sunday,
        )
        .distinct()
        .select_related("account")
        .prefetch_related("their_participants")
        .order_by("starts_at")
    )
    next_steps = (
        Interaction.objects.filter(
            account__in=visible,
            next_step_owner=user,
            next_step_done=False,
            next_step_due__lte=sunday,
        )
        .exclude(next_step="")
        .select_related("account")
        .order_by("next_step_due", "pk")
    )
    return Week(
        monday=monday,
        sunday=sunday,
        planned=planned,
        next_steps=next_steps,
        overdue_accounts=overdue_accounts(mine, today=today).select_related("owner"),
        overdue_contacts=overdue_contacts(
            Contact.objects.filter(account__in=mine), today=today
        ).select_related("account"),
    )


def interactions_for(visible: QuerySet[Account]) -> QuerySet[Interaction]:
    """Interactions at the accounts a user sees, for the list of directors and executives."""
    return Interaction.objects.filter(account__in=visible).select_related(
        "account", "account__owner", "next_step_owner"
    )
