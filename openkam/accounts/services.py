"""Writes about accounts and what we know about them: creating an account (after a look for
likely duplicates), and the facts of its profile, needs, competitors and wallet, each with its
source and date.

Every write fetches its account through writable_account_for (NotFound for an account the user
does not see, PermissionDenied for a role that reads only), validates before it saves, inside
one transaction, and names the user in the row's history. Field errors name the fields as the
forms and the API do (`team_id`, not `team`)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from openkam.accounts.models import (
    Account,
    AccountTeamMember,
    AccountTeamRole,
    BudgetCycle,
    BusinessUnit,
    CompanyEvent,
    Competitor,
    CompetitorPresence,
    FinancialYear,
    Location,
    Need,
    Officer,
    OutlookNote,
    Shareholder,
    WalletEstimate,
)
from openkam.accounts.selectors import (
    account_for,
    account_team_managed_by,
    account_team_member_for,
    accounts_visible_to,
    accounts_worked_by,
    competitors_visible_to,
    teams_visible_to,
    user_writes,
    writable_account_for,
)
from openkam.common.credit_code import normalize_credit_code
from openkam.common.errors import FieldPermissionDenied, NotFound
from openkam.common.models import SourcedFact
from openkam.team.models import Role, User

# --- Accounts ------------------------------------------------------------------------------

# Legal-form endings that two spellings of one company differ by (有限公司 / 股份有限公司).
_LEGAL_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司|co\.?,?\s*ltd\.?|ltd\.?|inc\.?|corp\.?)$",
    re.IGNORECASE,
)


def name_core(name: str) -> str:
    """The part of a company's name that identifies it: no spaces, no legal form."""
    core = re.sub(r"\s+", "", name.strip())
    previous = None
    while core and core != previous:
        previous, core = core, _LEGAL_FORMS.sub("", core).strip(" ,.")
    return core or re.sub(r"\s+", "", name.strip())


def account_duplicates(
    *, user: User, legal_name: str, credit_code: str = "", limit: int = 10
) -> list[Account]:
    """Accounts the user sees that may be the one about to be created: the same credit code,
    or a name that contains the new name's core (or the reverse for a short name). Only
    visible accounts are named; another team's account with the same credit code is refused
    at saving without a name (account_create)."""
    core = name_core(legal_name)
    match = Q(pk=None)
    if core:
        # The new name's core in a recorded name, a recorded short name in the new name
        # (杭州凯创智能 in 杭州凯创智能科技有限公司), or, for a Chinese name, the same first
        # six characters (place and trade name: 杭州凯创智能装备 beside 杭州凯创智能科技).
        match = (
            Q(legal_name__icontains=core)
            | Q(short_name__iexact=core)
            | (Q(short_name_len__gte=2) & Q(typed__contains=F("short_name")))
        )
        if len(core) >= 6 and not core.isascii():
            match |= Q(legal_name__startswith=core[:6])
    code = normalize_credit_code(credit_code)
    if code:
        match |= Q(credit_code=code)
    found = (
        accounts_visible_to(user)
        .annotate(typed=Value(core), short_name_len=Length("short_name"))
        .filter(match)
        .select_related("owner", "team")
    )
    return list(found.order_by("legal_name")[:limit])


def account_scope_check(user: User, *, team_id: int | None, owner_id: int | None) -> None:
    """An account a non-executive creates or edits must stay one they see: in a team they
    see, or owned by them."""
    if not user_writes(user):
        raise PermissionDenied(_("You do not have permission to do this."))
    if user.sees_all_accounts or owner_id == user.pk:
        return
    if team_id is None or not teams_visible_to(user).filter(pk=team_id).exists():
        message = _("The account would be outside your teams: choose one of your teams or own it.")
        raise FieldPermissionDenied("team_id", message)


def _check_parent(user: User, parent_id: int | None) -> None:
    """A parent must be an account the user sees (linking into a group is not writing it)."""
    if parent_id is not None and not accounts_visible_to(user).filter(pk=parent_id).exists():
        raise ValidationError({"parent_id": _("No account with this ID.")})


def _check_credit_code(account: Account) -> None:
    """Credit codes are unique across all accounts. A clash is the field's error, not the
    database's, and names no account: the holder may be another team's (issue 17)."""
    code = account.credit_code
    if code and Account.objects.filter(credit_code=code).exclude(pk=account.pk).exists():
        raise ValidationError({"credit_code": _("Another account already has this credit code.")})


def _attname(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "attname", name)) if field.many_to_one else name


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean() without the uniqueness checks (each write checks its own, with a
    sentence), its errors named as the forms and the API name the fields (`owner_id`)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        model = type(instance)
        raise ValidationError(
            {_attname(model, name): errors for name, errors in exc.error_dict.items()}
        ) from exc


@transaction.atomic
def account_create(*, user: User, data: dict[str, Any]) -> Account:
    """A new account from the fields of `data` (model attribute names: `team_id`,
    `owner_id`, `parent_id`). A KAM's account must be theirs or in one of their teams."""
    account_scope_check(user, team_id=data.get("team_id"), owner_id=data.get("owner_id"))
    _check_parent(user, data.get("parent_id"))
    account = Account(**data)
    validated(account)
    _check_credit_code(account)
    account._history_user = user  # type: ignore[attr-defined]
    account.save()
    return account


@transaction.atomic
def account_update(*, user: User, account: Account, data: dict[str, Any]) -> Account:
    """Change fields of an account the user may write; nothing when nothing differs."""
    writable_account_for(user, account.pk)
    if "parent_id" in data and data["parent_id"] != account.parent_id:
        _check_parent(user, data["parent_id"])
    changed = False
    for name, value in data.items():
        if getattr(account, name) != value:
            setattr(account, name, value)
            changed = True
    if not changed:
        return account
    account_scope_check(user, team_id=account.team_id, owner_id=account.owner_id)
    validated(account)
    _check_credit_code(account)
    account._history_user = user  # type: ignore[attr-defined]
    account.save()
    return account


# --- Facts of the profile ------------------------------------------------------------------

# Each kind of fact an account page edits, by the name its URL gives it.
FACT_MODELS: dict[str, type[SourcedFact]] = {
    "shareholder": Shareholder,
    "officer": Officer,
    "business-unit": BusinessUnit,
    "location": Location,
    "event": CompanyEvent,
    "financial-year": FinancialYear,
    "outlook": OutlookNote,
    "budget-cycle": BudgetCycle,
    "need": Need,
    "competitor": CompetitorPresence,
    "wallet": WalletEstimate,
}
SOURCE_FIELDS = ("source", "as_of")
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "shareholder": ("name", "kind", "share_percent", "is_actual_controller"),
    "officer": ("name", "title", "body"),
    "business-unit": ("name", "description", "autonomy", "served_by_us"),
    "location": ("kind", "name", "province", "city", "address"),
    "event": ("kind", "date", "description"),
    "financial-year": (
        "year",
        "currency",
        "revenue",
        "net_profit",
        "total_assets",
        "total_liabilities",
        "credit_rating",
    ),
    "outlook": ("kind", "severity", "text"),
    "budget-cycle": ("fiscal_year_start_month", "budget_month", "tender_month", "notes"),
    "need": ("kind", "priority", "description", "status", "owner_id", "our_response"),
    "competitor": ("competitor_id", "products", "share_of_wallet"),
    "wallet": ("year", "category_spend", "currency"),
}
# Facts recorded once per account and year (or once per account): a second one is an edit.
ONCE_PER: dict[str, tuple[str, ...]] = {
    "financial-year": ("year",),
    "wallet": ("year",),
    "budget-cycle": (),
    "competitor": ("competitor_id",),
}


def _once_check(kind: str, fact: SourcedFact) -> None:
    if kind not in ONCE_PER:
        return
    keys = ONCE_PER[kind]
    model: Any = type(fact)
    clash = model._default_manager.filter(
        account_id=fact.account_id,  # type: ignore[attr-defined]
        **{key: getattr(fact, key) for key in keys},
    ).exclude(pk=fact.pk)
    if not clash.exists():
        return
    field = keys[0] if keys else None
    message = {
        "financial-year": _("This year's figures are already recorded: edit them instead."),
        "wallet": _("This year's wallet estimate is already recorded: edit it instead."),
        "budget-cycle": _("The account's budget cycle is already recorded: edit it instead."),
        "competitor": _("This competitor is already recorded at the account: edit it instead."),
    }[kind]
    raise ValidationError({field: message} if field else message)


def _fact_kind(kind: str) -> Any:
    """The model of a kind of fact (typed loosely: every one has an `account`)."""
    if kind not in FACT_MODELS:
        raise NotFound(_("No such kind of fact."))
    return FACT_MODELS[kind]


def _fact_values(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    allowed = set(FACT_FIELDS[kind]) | set(SOURCE_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    return fields


def _check_people(fields: dict[str, Any]) -> None:
    owner_id = fields.get("owner_id")
    if owner_id is not None and not User.objects.filter(pk=owner_id, is_active=True).exists():
        raise ValidationError({"owner_id": _("Choose an active user.")})
    competitor_id = fields.get("competitor_id")
    if competitor_id is not None and not Competitor.objects.filter(pk=competitor_id).exists():
        raise ValidationError({"competitor_id": _("No competitor with this ID.")})


def _save_fact(kind: str, fact: SourcedFact, user: User) -> SourcedFact:
    validated(fact)
    _once_check(kind, fact)
    fact._history_user = user  # type: ignore[attr-defined]
    fact.save()
    return fact


@transaction.atomic
def fact_create(*, user: User, account_id: int, kind: str, fields: dict[str, Any]) -> SourcedFact:
    """A new fact of `kind` about the account (a shareholder, a need, a competitor's
    presence ...), from the fields of FACT_FIELDS[kind] and its source and date."""
    model = _fact_kind(kind)
    account = writable_account_for(user, account_id)
    values = _fact_values(kind, fields)
    _check_people(values)
    return _save_fact(kind, model(account=account, **values), user)


def fact_for(user: User, kind: str, item_id: int, *, write: bool = False) -> SourcedFact:
    """The fact `item_id` of `kind` through its account's access: NotFound when the user does
    not see the account, PermissionDenied on a write by a role that reads only."""
    model = _fact_kind(kind)
    fact = (
        model._default_manager.filter(account__in=accounts_visible_to(user), pk=item_id)
        .select_related("account")
        .first()
    )
    if fact is None:
        raise NotFound(_("No such fact about a visible account."))
    if write:
        writable_account_for(user, fact.account_id)
    return fact


@transaction.atomic
def fact_update(*, user: User, kind: str, item_id: int, fields: dict[str, Any]) -> SourcedFact:
    fact = fact_for(user, kind, item_id, write=True)
    values = _fact_values(kind, fields)
    _check_people(values)
    for name, value in values.items():
        setattr(fact, name, value)
    return _save_fact(kind, fact, user)


@transaction.atomic
def fact_delete(*, user: User, kind: str, item_id: int) -> None:
    """Remove a fact recorded in error; its history keeps what it said."""
    fact = fact_for(user, kind, item_id, write=True)
    fact._history_user = user  # type: ignore[attr-defined]
    fact.delete()


# The named writes of the account page and the API: each is one kind of fact.


def need_create(*, user: User, account_id: int, fields: dict[str, Any]) -> Need:
    need = fact_create(user=user, account_id=account_id, kind="need", fields=fields)
    assert isinstance(need, Need)
    return need


def need_update(*, user: User, need_id: int, fields: dict[str, Any]) -> Need:
    need = fact_update(user=user, kind="need", item_id=need_id, fields=fields)
    assert isinstance(need, Need)
    return need


def wallet_estimate_create(*, user: User, account_id: int, fields: dict[str, Any]) -> SourcedFact:
    return fact_create(user=user, account_id=account_id, kind="wallet", fields=fields)


# --- Competitors ---------------------------------------------------------------------------


def competitor_named(*, user: User, name: str) -> Competitor:
    """The competitor of this name (case and spaces aside), recorded when it is new."""
    if not user_writes(user):
        raise PermissionDenied(_("You do not have permission to do this."))
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError({"competitor": _("Name the competitor.")})
    if len(clean) > Competitor._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"competitor": _("The name is too long.")})
    found = Competitor.objects.filter(name__iexact=clean).first()
    if found is not None:
        return found
    competitor = Competitor(name=clean)
    competitor._history_user = user  # type: ignore[attr-defined]
    competitor.save()
    return competitor


@transaction.atomic
def competitor_presence_create(
    *, user: User, account_id: int, competitor: str, fields: dict[str, Any]
) -> CompetitorPresence:
    """A competitor present at the account, by name (a new name records the competitor)."""
    writable_account_for(user, account_id)
    rival = competitor_named(user=user, name=competitor)
    try:
        presence = fact_create(
            user=user,
            account_id=account_id,
            kind="competitor",
            fields={**fields, "competitor_id": rival.pk},
        )
    except ValidationError as exc:
        raise _competitor_named(exc) from exc
    assert isinstance(presence, CompetitorPresence)
    return presence


@transaction.atomic
def competitor_presence_update(
    *, user: User, presence_id: int, competitor: str, fields: dict[str, Any]
) -> CompetitorPresence:
    fact_for(user, "competitor", presence_id, write=True)
    rival = competitor_named(user=user, name=competitor)
    try:
        presence = fact_update(
            user=user,
            kind="competitor",
            item_id=presence_id,
            fields={**fields, "competitor_id": rival.pk},
        )
    except ValidationError as exc:
        raise _competitor_named(exc) from exc
    assert isinstance(presence, CompetitorPresence)
    return presence


def _competitor_named(exc: ValidationError) -> ValidationError:
    """The presence's errors on `competitor_id` belong to the name the user typed."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            ("competitor" if name == "competitor_id" else name): errors
            for name, errors in exc.error_dict.items()
        }
    )


@transaction.atomic
def competitor_update(*, user: User, competitor_id: int, fields: dict[str, Any]) -> Competitor:
    """A competitor's own facts (country, strengths, weaknesses), by anyone who writes and
    sees it at one of their accounts."""
    found = competitors_visible_to(user).filter(pk=competitor_id).first()
    if found is None:
        raise NotFound(_("No competitor with this ID."))
    if not user_writes(user):
        raise PermissionDenied(_("You do not have permission to do this."))
    allowed = {"country", "strengths", "weaknesses"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    competitor = Competitor.objects.select_for_update().get(pk=found.pk)
    for name, value in fields.items():
        setattr(competitor, name, value)
    validated(competitor, exclude=["name"])
    competitor._history_user = user  # type: ignore[attr-defined]
    competitor.save()
    return competitor


# --- The account team ----------------------------------------------------------------------


def _managed_account(user: User, account_id: int) -> Account:
    """The account for a change of its team: NotFound when the user does not see it,
    PermissionDenied when they see it but do not manage its team."""
    account = account_for(user, account_id, shape=lambda rows: rows.select_related("team"))
    if not account_team_managed_by(user, account):
        raise PermissionDenied(
            _("Only the account's KAM, its director or an executive may change its team.")
        )
    return account


def _check_role(role: str) -> None:
    if role not in AccountTeamRole.values:
        raise ValidationError({"role": _("Choose one of the roles of an account team.")})


def _check_seat(account: Account, person: User | None, role: str) -> User:
    """Whom the team may take: an active user, not its KAM (already the owner), a sponsor who
    is an executive or a director, and nobody a seat would let change the account (a KAM or a
    director of another team: their role writes, and a seat gives read access only)."""
    if person is None or not person.is_active:
        raise ValidationError({"user_id": _("Choose an active user.")})
    if person.pk == account.owner_id:
        raise ValidationError({"user_id": _("This person is the account's KAM already.")})
    if role == AccountTeamRole.SPONSOR and person.role not in (Role.EXECUTIVE, Role.DIRECTOR):
        raise ValidationError(
            {"role": _("An executive sponsor must be an executive or a director.")}
        )
    if (
        user_writes(person)
        and not person.sees_all_accounts
        and not accounts_worked_by(person).filter(pk=account.pk).exists()
    ):
        raise ValidationError(
            {
                "user_id": _(
                    "A key account manager or director of another team cannot join this "
                    "account's team: a seat gives read access only, their role would write."
                )
            }
        )
    return person


@transaction.atomic
def account_team_member_add(
    *, user: User, account_id: int, member_id: int | None, role: str, note: str = ""
) -> AccountTeamMember:
    """Put one of our people on the account's standing team (R&D, quality, logistics, finance,
    service support or the executive sponsor); the history names who did it."""
    account = _managed_account(user, account_id)
    _check_role(role)
    found = User.objects.filter(pk=member_id).first() if member_id is not None else None
    person = _check_seat(account, found, role)
    if AccountTeamMember.objects.filter(account=account, user=person).exists():
        raise ValidationError({"user_id": _("This person is on the account's team already.")})
    member = AccountTeamMember(account=account, user=person, role=role, note=note.strip())
    member.full_clean(exclude=["account", "user"])
    member._history_user = user  # type: ignore[attr-defined]
    member.save()
    return member


@transaction.atomic
def account_team_member_change(
    *, user: User, member_id: int, role: str, note: str | None = None
) -> AccountTeamMember:
    """A member's role (and note) on the account team."""
    member = account_team_member_for(user, member_id, write=True)
    _check_role(role)
    _check_seat(member.account, member.user, role)
    member.role = role
    if note is not None:
        member.note = note.strip()
    member.full_clean(exclude=["account", "user"])
    member._history_user = user  # type: ignore[attr-defined]
    member.save()
    return member


@transaction.atomic
def account_team_member_remove(*, user: User, member_id: int) -> None:
    """Take a member off the account team: they stop seeing the account unless their sales
    team shows it."""
    member = account_team_member_for(user, member_id, write=True)
    member._history_user = user  # type: ignore[attr-defined]
    member.delete()
