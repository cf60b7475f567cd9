"""Reads about interactions: the cadence each tier is owed, who is overdue, timelines, a
KAM's week and an interaction's history. Overdue figures are computed in the database, never
by looping over rows.

Who is owed a return visit: every account of a tier, except a lost one (lifecycle stage
LOST: nobody is flagged for not visiting a customer who left); an account without a KAM is
owed one all the same and is flagged, so that somebody takes it up. The same holds for the
contacts of a lost account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.accounts.selectors import accounts_visible_to, writable_account_for
from openkam.common.errors import NotFound
from openkam.common.queries import choice_rank
from openkam.interactions.models import (
    DEFAULT_CADENCE_DAYS,
    ContactCadence,
    Interaction,
    Status,
)
from openkam.portfolio.models import AccountSnapshot
from openkam.portfolio.selectors import latest_run
from openkam.relationships.models import Contact
from openkam.team.models import Role, Team, User

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
    due since it was recorded; a lost account is owed none: None)."""
    days = cadence if cadence is not None else cadence_days()
    return accounts.annotate(
        last_contact_on=TruncDate(_last_done(account=OuterRef("pk")), output_field=DateField()),
        contact_due_on=Case(
            When(lifecycle_stage=LifecycleStage.LOST, then=Value(None, DateField())),
            default=Coalesce(
                AddDays(F("last_contact_on"), _tier_cadence(days)),
                TruncDate("created_at", output_field=DateField()),
                output_field=DateField(),
            ),
            output_field=DateField(),
        ),
    )


def account_contact_due(account: Account) -> dict[str, Any]:
    """The account's last contact, when the next one is due (None for a lost account) and the
    cadence that says so."""
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
    first, annotated with `last_contact_on` and `contact_due_on`. Lost accounts are left out;
    accounts without a KAM are kept (see the module's docstring)."""
    return (
        with_contact_due(accounts.exclude(lifecycle_stage=LifecycleStage.LOST), cadence=cadence)
        .filter(contact_due_on__lt=today)  # type: ignore[misc]
        .order_by("contact_due_on", "pk")
    )


def with_contact_last_met(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts annotated with `last_met_on` and, for those who want contact every N days,
    `contact_due_on` (never met: due since recorded; no wish, or the account is lost:
    None)."""
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
            When(account__lifecycle_stage=LifecycleStage.LOST, then=Value(None, DateField())),
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
    first; none of a lost account."""
    return (
        with_contact_last_met(
            contacts.filter(is_active=True).exclude(account__lifecycle_stage=LifecycleStage.LOST)
        )
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
    Sunday (overdue ones included), and the overdue accounts and contacts they look after
    (lost accounts left out, accounts without a KAM kept for those who see them)."""
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
        overdue_accounts=by_priority(overdue_accounts(mine, today=today)).select_related("owner"),
        overdue_contacts=overdue_contacts(
            Contact.objects.filter(account__in=mine), today=today
        ).select_related("account"),
    )


def by_priority(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Overdue accounts in the order to call them: the highest tier first, then the most
    revenue at stake (the last refresh's twelve months), then the longest overdue. Annotated
    with `revenue_at_stake`."""
    run = latest_run()
    at_stake = AccountSnapshot.objects.filter(
        run_id=run.pk if run else None, account_id=OuterRef("pk")
    ).values("revenue_12m")[:1]
    return accounts.annotate(revenue_at_stake=Subquery(at_stake)).order_by(  # type: ignore[misc]
        choice_rank("tier", Tier.values),
        F("revenue_at_stake").desc(nulls_last=True),
        "contact_due_on",
        "pk",
    )


@dataclass(frozen=True)
class Compliance:
    """How well a team (or a KAM) keeps the contact cadence: of the accounts it looks after
    (lost ones left out), how many are overdue for a return visit, how many contacts are
    overdue and how many next steps are late."""

    pk: int | None
    name: str
    accounts: int
    overdue_accounts: int
    overdue_contacts: int
    late_steps: int

    @property
    def within_cadence(self) -> float | None:
        """The share of the accounts within their cadence (None without accounts)."""
        if not self.accounts:
            return None
        return (self.accounts - self.overdue_accounts) / self.accounts


def cadence_compliance(
    accounts: QuerySet[Account], *, today: dt.date, by: str = "team"
) -> list[Compliance]:
    """Cadence compliance of `accounts` per team (by="team") or per KAM (by="owner"), the
    worst first: four grouped queries, however many accounts. Accounts without a team or a
    KAM form a row of their own (pk None)."""
    if by not in ("team", "owner"):
        raise ValueError(by)
    key = f"{by}_id"
    live = accounts.exclude(lifecycle_stage=LifecycleStage.LOST).order_by()
    counted = (
        with_contact_due(live)
        .values(key)
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(contact_due_on__lt=today)))
    )
    contacts = dict(
        overdue_contacts(Contact.objects.filter(account__in=live), today=today)
        .order_by()
        .values_list(f"account__{key}")
        .annotate(n=Count("pk"))
    )
    steps = dict(
        Interaction.objects.filter(account__in=live, next_step_done=False, next_step_due__lt=today)
        .exclude(next_step="")
        .order_by()
        .values_list(f"account__{key}")
        .annotate(n=Count("pk"))
    )
    rows = list(counted)
    ids = [row[key] for row in rows if row[key] is not None]
    model = Team if by == "team" else User
    names = {pk: str(obj) for pk, obj in model.objects.in_bulk(ids).items()}
    nobody = _("No team") if by == "team" else _("No KAM")
    result = [
        Compliance(
            pk=row[key],
            name=names.get(row[key], nobody) if row[key] is not None else nobody,
            accounts=row["n"],
            overdue_accounts=row["late"],
            overdue_contacts=contacts.get(row[key], 0),
            late_steps=steps.get(row[key], 0),
        )
        for row in rows
    ]
    return sorted(result, key=lambda c: (c.within_cadence or 0.0, -c.overdue_accounts, c.name))


def interactions_for(visible: QuerySet[Account]) -> QuerySet[Interaction]:
    """Interactions at the accounts a user sees, for the list of directors and executives."""
    return Interaction.objects.filter(account__in=visible).select_related(
        "account", "account__owner", "next_step_owner"
    )


def interaction_for(user: User, pk: int) -> Interaction:
    """One interaction at an account the user sees, or NotFound (as account_for answers)."""
    interactions = interactions_for(accounts_visible_to(user)).select_related(
        "account__team", "created_by"
    )
    try:
        return interactions.prefetch_related("our_participants", "their_participants").get(pk=pk)
    except Interaction.DoesNotExist as exc:
        raise NotFound(_("No interaction with this ID.")) from exc


def writable_interaction_for(user: User, pk: int) -> Interaction:
    """The interaction for a change: NotFound when its account is not one the user sees,
    PermissionDenied when their role reads only (writable_account_for's rule)."""
    interaction = interaction_for(user, pk)
    writable_account_for(user, interaction.account_id)
    return interaction


# --- History of one interaction -------------------------------------------------------------

HISTORY_FIELDS = (
    "kind",
    "status",
    "starts_at",
    "duration_minutes",
    "subject",
    "notes",
    "our_participants",
    "their_participants",
    "next_step",
    "next_step_due",
    "next_step_owner",
    "next_step_done",
)
HistoricalInteraction: Any = Interaction.history.model
OUR_ROWS = "historicalinteraction_our_participants_set"
THEIR_ROWS = "historicalinteraction_their_participants_set"


@dataclass
class Change:
    """One field of an interaction changed: its label, the value before and after (shown as
    text), and for the participants who was added and who removed."""

    label: str
    before: str = ""
    after: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: User | None
    created: bool
    changes: list[Change]


def _shown(record: Any, name: str) -> str:
    value = getattr(record, name)
    if name in ("kind", "status"):
        return str(getattr(record, f"get_{name}_display")())
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _people(record: Any) -> dict[str, dict[int, str]]:
    ours = getattr(record, OUR_ROWS).all()
    theirs = getattr(record, THEIR_ROWS).all()
    return {
        "our_participants": {row.user_id: str(row.user or f"#{row.user_id}") for row in ours},
        "their_participants": {
            row.contact_id: row.contact.name if row.contact else f"#{row.contact_id}"
            for row in theirs
        },
    }


def _changes(before: Any, after: Any) -> list[Change]:
    changes = []
    people_before, people_after = _people(before), _people(after)
    for name in HISTORY_FIELDS:
        label = str(getattr(Interaction._meta.get_field(name), "verbose_name", name))
        if name in people_after:
            old, new = people_before[name], people_after[name]
            if old.keys() != new.keys():
                added = [new[pk] for pk in new.keys() - old.keys()]
                removed = [old[pk] for pk in old.keys() - new.keys()]
                changes.append(Change(label, added=sorted(added), removed=sorted(removed)))
        elif _shown(before, name) != _shown(after, name):
            changes.append(Change(label, before=_shown(before, name), after=_shown(after, name)))
    return changes


def interaction_history(interaction: Interaction) -> list[HistoryEntry]:
    """Who changed what and when, newest first: each record against the one before it (three
    queries, whatever the length). A record that changed nothing shown is left out."""
    records = list(
        HistoricalInteraction.objects.filter(id=interaction.pk)
        .select_related("history_user", "next_step_owner")
        .prefetch_related(
            Prefetch(
                OUR_ROWS,
                queryset=HistoricalInteraction.our_participants.model.objects.select_related(
                    "user"
                ),
            ),
            Prefetch(
                THEIR_ROWS,
                queryset=HistoricalInteraction.their_participants.model.objects.select_related(
                    "contact"
                ),
            ),
        )
        .order_by("history_date", "history_id")
    )
    entries = []
    for before, after in zip([None, *records], records, strict=False):
        created = after.history_type == "+"
        # A first record that is a change: what came before it was never recorded.
        changes = [] if created or before is None else _changes(before, after)
        if created or before is None or changes:
            entries.append(HistoryEntry(after.history_date, after.history_user, created, changes))
    return entries[::-1]
