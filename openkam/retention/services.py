"""Writes of the retention app: win-back cases and their actions and outcome, a person's
lifecycle override, and the lifecycle stages suggested for every account after a refresh.

Each write checks who may do it (the account's writers: its KAM, the team's director, an
executive; an action's owner may also update that action), validates, then saves inside one
transaction; the models keep their history. Services raise domain errors (NotFound,
PermissionDenied, ValidationError); the pages and the API turn them into their answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from openkam.accounts.models import Account, LifecycleStage
from openkam.accounts.selectors import writable_account_for
from openkam.alerts.models import Alert
from openkam.common.errors import ValidationError
from openkam.common.months import add_months
from openkam.ledger.models import AccountMonth
from openkam.pipeline.mode import promotion_mode
from openkam.pipeline.models import Opportunity
from openkam.pipeline.services import LANDED_STAGES, NOT_YET_SERVED, SERVED_STAGE
from openkam.portfolio.models import AccountSnapshot, PortfolioRun
from openkam.retention.lifecycle import SNAPSHOT_FIELDS, Figures, LifecycleRules, suggest
from openkam.retention.models import (
    CHURN_RULES,
    OPEN_CASE,
    ActionStatus,
    ChangeSource,
    LifecycleChange,
    LifecycleOverride,
    Outcome,
    WinBackAction,
    WinBackCase,
)
from openkam.team.models import User

BATCH = 2000
CENT = Decimal("0.01")
CASE_FIELDS = frozenset({"cause", "notes", "offer", "owner_id"})
ACTION_FIELDS = frozenset({"title", "owner_id", "due_on", "status"})


def _validated(instance: Model, *, exclude: Collection[str] = ()) -> None:
    """Model validation before any save, so a refused write saves nothing."""
    instance.full_clean(exclude=list(exclude))


def _active_user(pk: int | None, field_name: str = "owner") -> None:
    if pk is not None and not User.objects.filter(pk=pk, is_active=True).exists():
        raise ValidationError({field_name: _("Choose an active user as the owner.")})


def _locked(case: WinBackCase) -> WinBackCase:
    """The case re-read under a lock on its own row (PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join)."""
    return WinBackCase.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _require_open(case: WinBackCase) -> None:
    if not case.is_open():
        raise ValidationError(
            _("The case is closed (%(outcome)s): its record is final.")
            % {"outcome": case.get_outcome_display()}
        )


def revenue_before(account_id: int, day: dt.date) -> Decimal:
    """Revenue of the twelve complete months before `day`'s month."""
    end = day.replace(day=1)
    total = AccountMonth.objects.filter(
        account_id=account_id, month__gte=add_months(end, -12), month__lt=end
    ).aggregate(total=Sum("revenue"))["total"]
    return Decimal(str(total or 0)).quantize(CENT)


def _churn_alert(user: User, account: Account, alert_id: int) -> Alert:
    alert = Alert.objects.filter(pk=alert_id, account=account).first()
    if alert is None:
        raise ValidationError({"alert": _("Choose an alert of this account.")})
    if alert.rule not in CHURN_RULES:
        message = _(
            "Only a churn alert (churn risk, P(alive), purchase gap, revenue decline) opens "
            "a win-back case."
        )
        raise ValidationError({"alert": message})
    return alert


# --- Cases ---------------------------------------------------------------------------------


@transaction.atomic
def winback_open(
    *,
    user: User,
    account_id: int,
    cause: str,
    notes: str = "",
    offer: str = "",
    alert_id: int | None = None,
    owner_id: int | None = None,
    today: dt.date | None = None,
) -> WinBackCase:
    """Open a case for the account (one open case per account), from one of its churn alerts
    when given; owned by the account's KAM unless said otherwise. The account moves to the
    win-back stage at once."""
    account = writable_account_for(user, account_id)
    day = today or timezone.localdate()
    alert = _churn_alert(user, account, alert_id) if alert_id is not None else None
    if WinBackCase.objects.filter(OPEN_CASE, account=account).exists():
        raise ValidationError(_("This account already has an open win-back case."))
    owner = owner_id if owner_id is not None else (account.owner_id or user.pk)
    _active_user(owner)
    case = WinBackCase(
        account=account,
        alert=alert,
        owner_id=owner,
        opened_on=day,
        cause=cause,
        notes=notes.strip(),
        offer=offer.strip(),
        revenue_at_stake=revenue_before(account.pk, day),
    )
    _validated(case, exclude=["account", "alert", "owner"])
    case.save()
    lifecycle_refresh(as_of=day, accounts=[account.pk])
    return case


@transaction.atomic
def winback_update(*, user: User, case: WinBackCase, changes: dict[str, Any]) -> WinBackCase:
    """Change the cause, notes, offer or owner of an open case."""
    writable_account_for(user, case.account_id)
    unknown = set(changes) - CASE_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    locked = _locked(case)
    _require_open(locked)
    if "owner_id" in changes:
        _active_user(changes["owner_id"])
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _validated(locked, exclude=["account", "alert", "owner"])
    locked.save()
    return locked


@transaction.atomic
def winback_record_outcome(
    *,
    user: User,
    case: WinBackCase,
    outcome: str,
    outcome_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> WinBackCase:
    """Close the case: retained, recovered or lost, on a day between its opening and today.
    A lost account moves to the lost stage; a kept one leaves win-back for what the data say
    at once (its stage as of the newest refresh)."""
    writable_account_for(user, case.account_id)
    day = today or timezone.localdate()
    locked = _locked(case)
    _require_open(locked)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose retained, recovered or lost.")})
    if outcome_on > day or outcome_on < locked.opened_on:
        raise ValidationError(
            {"outcome_on": _("The outcome date lies between the case's opening and today.")}
        )
    locked.outcome, locked.outcome_on, locked.outcome_note = outcome, outcome_on, note.strip()
    locked.save()
    lifecycle_refresh(as_of=day, accounts=[locked.account_id])
    return locked


@transaction.atomic
def winback_delete(*, user: User, case: WinBackCase) -> None:
    """A case opened by mistake; its history keeps that it existed."""
    writable_account_for(user, case.account_id)
    locked = _locked(case)
    locked.delete()


# --- Actions -------------------------------------------------------------------------------


@transaction.atomic
def winback_action_add(
    *, user: User, case: WinBackCase, title: str, owner_id: int, due_on: dt.date
) -> WinBackAction:
    """An action with its owner (anyone: colleagues of other functions too) and due date."""
    writable_account_for(user, case.account_id)
    locked = _locked(case)
    _require_open(locked)
    _active_user(owner_id)
    action = WinBackAction(case=locked, title=title.strip(), owner_id=owner_id, due_on=due_on)
    _validated(action, exclude=["case", "owner"])
    action.save()
    return action


@transaction.atomic
def winback_action_update(
    *,
    user: User,
    action: WinBackAction,
    changes: dict[str, Any],
    today: dt.date | None = None,
) -> WinBackAction:
    """Change an action; marking it done records the day (reopening clears it). Its owner may
    update it too, even without write rights on the account."""
    if action.owner_id != user.pk:
        writable_account_for(user, action.case.account_id)
    unknown = set(changes) - ACTION_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _require_open(_locked(action.case))
    if "owner_id" in changes:
        _active_user(changes["owner_id"])
    for name, value in changes.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    if action.status == ActionStatus.DONE and action.done_on is None:
        action.done_on = today or timezone.localdate()
    elif action.status == ActionStatus.OPEN:
        action.done_on = None
    _validated(action, exclude=["case", "owner"])
    action.save()
    return action


# --- Lifecycle -----------------------------------------------------------------------------


@dataclass
class LifecycleResult:
    accounts: int = 0
    changed: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    overrides_ended: int = 0


def _newest_run(as_of: dt.date) -> tuple[int, dt.date] | None:
    return (
        PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE, as_of__lte=as_of)
        .order_by("-as_of", "-started_at")
        .values_list("pk", "as_of")
        .first()
    )


def _figures(as_of: dt.date, scope: Collection[int] | None) -> dict[int, Figures]:
    """The newest refresh's figures of each account in scope."""
    run = _newest_run(as_of)
    if run is None:
        return {}
    rows = AccountSnapshot.objects.filter(run_id=run[0])
    if scope is not None:
        rows = rows.filter(account_id__in=list(scope))
    values = rows.values_list("account_id", *SNAPSHOT_FIELDS)
    day = run[1]
    return {
        row[0]: Figures(**dict(zip(SNAPSHOT_FIELDS, row[1:], strict=True)), as_of=day)
        for row in values.iterator(chunk_size=5000)
    }


def _lost_cases(scope: Collection[int] | None) -> dict[int, dt.date]:
    """The day of each account's latest case closed as lost."""
    rows = _scoped(WinBackCase.objects.filter(outcome=Outcome.LOST), scope).values_list(
        "account_id", "outcome_on"
    )
    found: dict[int, dt.date] = {}
    for account_id, day in rows.order_by("outcome_on"):
        found[account_id] = day
    return found


def _scoped(queryset: Any, scope: Collection[int] | None, name: str = "account_id") -> Any:
    return queryset if scope is None else queryset.filter(**{f"{name}__in": list(scope)})


@dataclass
class _Plan:
    """What one pass decides: accounts to move (by new stage) and the log rows."""

    moves: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    log: list[tuple[int, str, str, str]] = field(default_factory=list)  # account, from, to, source
    overrides: list[LifecycleOverride] = field(default_factory=list)
    ended: int = 0


def _with_override(
    plan: _Plan, override: LifecycleOverride, suggested: str | None, day: dt.date
) -> tuple[str | None, str]:
    """The stage to keep under an override, and the source of a change to it."""
    if suggested is None or suggested in (override.stage, override.overrode):
        if override.contradicted:
            override.contradicted = 0
            plan.overrides.append(override)
        return override.stage, ChangeSource.OVERRIDE
    override.contradicted += 1
    if override.contradicted >= 2:
        override.ended_on = day
        plan.ended += 1
        plan.overrides.append(override)
        return suggested, ChangeSource.OVERRIDE_ENDED
    plan.overrides.append(override)
    return override.stage, ChangeSource.OVERRIDE


def _plan(
    as_of: dt.date, scope: Collection[int] | None, rules: LifecycleRules
) -> tuple[_Plan, int]:
    figures = _figures(as_of, scope)
    lost_cases = _lost_cases(scope)
    open_cases = set(
        _scoped(WinBackCase.objects.filter(OPEN_CASE), scope).values_list("account_id", flat=True)
    )
    overrides = {
        o.account_id: o
        for o in _scoped(LifecycleOverride.objects.filter(ended_on__isnull=True), scope)
    }
    accounts = _scoped(Account.objects.all(), scope, "pk").values_list(
        "pk", "lifecycle_stage", "relationship_stage"
    )
    landed = _landed_targets(scope)
    plan, seen = _Plan(), 0
    for pk, stage, relationship in accounts.iterator(chunk_size=5000):
        seen += 1
        suggested = suggest(
            figures.get(pk),
            relationship_stage=relationship,
            open_case=pk in open_cases,
            lost_on=lost_cases.get(pk),
            rules=rules,
        )
        if pk in landed and suggested in NOT_YET_SERVED:
            suggested = SERVED_STAGE  # served from its landing, with no ledger yet to say so
        source: str = ChangeSource.DATA
        if pk in overrides:
            suggested, source = _with_override(plan, overrides[pk], suggested, as_of)
        if suggested is None or suggested == stage:
            continue
        plan.moves[suggested].append(pk)
        plan.log.append((pk, stage, suggested, source))
    return plan, seen


def _landed_targets(scope: Collection[int] | None) -> set[int]:
    """In promotion mode, the targets with a project landed or in production: served as key
    accounts from the landing (pipeline.services), whatever their empty ledger suggests."""
    if not promotion_mode():
        return set()
    projects = Opportunity.objects.filter(stage__in=LANDED_STAGES)
    return set(_scoped(projects, scope).values_list("account_id", flat=True))


CHANGE_COLUMNS = ("account_id", "day", "at", "from_stage", "to_stage", "source", "rule", "reason")


def _insert_changes(changes: list[tuple[int, str, str, str]], *, day: dt.date) -> None:
    """The moves written with executemany: building models and bulk_create's per-field
    preparation took 15 s of a first pass over 100,000 accounts (benchmarks/lifecycle.py)."""
    if not changes:
        return
    quote = connection.ops.quote_name
    table = quote(LifecycleChange._meta.db_table)
    columns = ", ".join(quote(column) for column in CHANGE_COLUMNS)
    marks = ", ".join(["%s"] * len(CHANGE_COLUMNS))
    now = timezone.now()
    rows = [(pk, day, now, old, new, source, "", "") for pk, old, new, source in changes]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[i : i + BATCH]
            )


@transaction.atomic
def lifecycle_refresh(
    *,
    as_of: dt.date,
    accounts: Collection[int] | None = None,
    rules: LifecycleRules | None = None,
) -> LifecycleResult:
    """Every account's stage (or those in `accounts`) from the newest refresh up to `as_of`,
    overrides kept until contradicted twice; every move logged. In bulk: a few queries
    whatever the number of accounts."""
    plan, seen = _plan(as_of, accounts, rules or LifecycleRules())
    for stage, ids in plan.moves.items():
        for i in range(0, len(ids), BATCH):
            Account.objects.filter(pk__in=ids[i : i + BATCH]).update(lifecycle_stage=stage)
    _insert_changes(plan.log, day=as_of)
    if plan.overrides:
        bulk_update_with_history(
            plan.overrides, LifecycleOverride, ["contradicted", "ended_on"], batch_size=BATCH
        )
    return LifecycleResult(
        accounts=seen,
        changed=len(plan.log),
        by_stage={stage: len(ids) for stage, ids in plan.moves.items()},
        overrides_ended=plan.ended,
    )


def suggested_stage(account: Account, *, as_of: dt.date) -> str | None:
    """What the rules say of one account now (for the override form)."""
    figures = _figures(as_of, [account.pk]).get(account.pk)
    open_case = WinBackCase.objects.filter(OPEN_CASE, account=account).exists()
    return suggest(
        figures,
        relationship_stage=account.relationship_stage,
        open_case=open_case,
        lost_on=_lost_cases([account.pk]).get(account.pk),
        rules=LifecycleRules(),
    )


@transaction.atomic
def lifecycle_override(
    *,
    user: User,
    account_id: int,
    stage: str,
    reason: str,
    today: dt.date | None = None,
) -> LifecycleOverride:
    """A person sets the account's stage against the data, with a reason; it replaces any
    override in force and holds until the data contradict it for two refreshes."""
    account = writable_account_for(user, account_id)
    day = today or timezone.localdate()
    if stage not in LifecycleStage.values:
        raise ValidationError({"stage": _("Choose a lifecycle stage.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data's stage does not fit.")})
    suggested = suggested_stage(account, as_of=day) or account.lifecycle_stage
    for current in LifecycleOverride.objects.filter(account=account, ended_on__isnull=True):
        current.ended_on = day
        current._change_reason = "replaced"  # type: ignore[attr-defined]
        current.save(update_fields=["ended_on", "updated_at"])
    override = LifecycleOverride.objects.create(
        account=account, stage=stage, overrode=suggested, reason=reason.strip(), user=user
    )
    if stage != account.lifecycle_stage:
        LifecycleChange.objects.create(
            account=account,
            day=day,
            from_stage=account.lifecycle_stage,
            to_stage=stage,
            source=ChangeSource.OVERRIDE,
            user=user,
            reason=reason.strip(),
        )
        Account.objects.filter(pk=account.pk).update(lifecycle_stage=stage)
    return override
