"""Setting, decomposing and approving targets; the KAMs' forecasts (issue 14).

Who sets what: an executive sets the company's and any team's targets; a team's director sets
the team's and decomposes it to the team's KAMs (and a KAM's to their accounts). KAMs,
analysts and viewers set none (PermissionDenied). Only an executive approves; an approved
target is locked: a later change needs a reason, which the history keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from openkam.accounts.models import Account
from openkam.accounts.selectors import teams_visible_to
from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.ledger.models import AccountMonth
from openkam.performance.models import CHILD_LEVEL, Forecast, Level, Metric, Target, TargetStatus
from openkam.performance.selectors import team_kams
from openkam.portfolio.models import AccountSnapshot
from openkam.team.models import Role, Team, User

CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_even(total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` amounts to the cent; the remainder goes to the last ones."""
    if parts <= 0:
        return []
    base = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    amounts = [base] * parts
    remainder = int((total - base * parts) / CENT)
    for index in range(remainder):
        amounts[parts - 1 - index] += CENT
    return amounts


def split_by_weights(
    total: Decimal, weights: Sequence[Decimal], unit: Decimal = CENT
) -> list[Decimal]:
    """`total` shared by `weights` to the `unit` (the cent; one for a count such as new key
    accounts) by largest remainder; evenly when all weights are zero."""
    whole = sum(weights, Decimal("0"))
    if whole <= 0:
        whole, weights = Decimal(len(weights)), [Decimal("1")] * len(weights)
        if unit == CENT:
            return split_even(total, len(weights))
    raw = [total * weight / whole for weight in weights]
    amounts = [value.quantize(unit, rounding="ROUND_DOWN") for value in raw]
    left = int((total - sum(amounts, Decimal("0"))) / unit)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - amounts[i], reverse=True)
    for index in order[:left]:
        amounts[index] += unit
    return amounts


def target_may_set(user: User, *, level: str, team: Team | None) -> None:
    """PermissionDenied unless the user may set targets of this level (NotFound: a team the
    user does not see)."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("You may not set targets."))
    if user.is_superuser or user.role == Role.EXECUTIVE:
        return
    if user.role != Role.DIRECTOR or level == Level.COMPANY:
        raise PermissionDenied(_("Only an executive or the team's director sets targets."))
    if team is None or not teams_visible_to(user).filter(pk=team.pk).exists():
        raise NotFound(_("No team with this ID."))
    if team.director_id != user.pk:
        raise PermissionDenied(_("Only an executive or the team's director sets targets."))


def _months(amount: Decimal, months: Sequence[Decimal | str] | None) -> list[str]:
    if months is None:
        return [str(value) for value in split_even(amount, 12)]
    if len(months) != 12:
        raise ValidationError({"months": _("Give twelve monthly amounts, January first.")})
    values = [_cents(Decimal(str(value))) for value in months]
    if any(value < 0 for value in values):
        raise ValidationError({"months": _("A monthly amount cannot be negative.")})
    if abs(sum(values, Decimal("0")) - amount) >= CENT:
        raise ValidationError(
            {"months": _("The twelve months must add up to the year's target, to the cent.")}
        )
    return [str(value) for value in values]


def _owner_errors(
    level: str, team: Team | None, kam: User | None, account: Account | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if level in (Level.TEAM, Level.KAM) and team is None:
        errors["team"] = _("Name the team.")
    if level == Level.KAM and kam is None:
        errors["kam"] = _("Name the key account manager.")
    if level == Level.ACCOUNT and account is None:
        errors["account"] = _("Name the account.")
    return errors


@transaction.atomic
def target_set(
    *,
    user: User,
    year: int,
    level: str,
    metric: str,
    amount: Decimal,
    team: Team | None = None,
    kam: User | None = None,
    account: Account | None = None,
    months: Sequence[Decimal | str] | None = None,
    parent: Target | None = None,
    reason: str = "",
) -> Target:
    """Set (create or change) the target of one owner, metric and year. The months default to
    an even split; given, they must add up to the amount within a cent."""
    if account is not None and team is None:
        team = account.team
    target_may_set(user, level=level, team=team)
    errors = _owner_errors(level, team, kam, account)
    if level not in Level.values:
        errors["level"] = _("Unknown level.")
    if metric not in Metric.values:
        errors["metric"] = _("Unknown metric.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    amount = _cents(Decimal(str(amount)))
    if amount < 0:
        errors["amount"] = _("A target cannot be negative.")
    if errors:
        raise ValidationError(errors)
    split = _months(amount, months)
    target = (
        Target.objects.select_for_update()
        .filter(
            year=year,
            level=level,
            metric=metric,
            team=team if level != Level.COMPANY else None,
            kam=kam if level == Level.KAM else None,
            account=account if level == Level.ACCOUNT else None,
        )
        .first()
    )
    if target is None:
        target = Target(
            year=year,
            level=level,
            metric=metric,
            team=team if level != Level.COMPANY else None,
            kam=kam if level == Level.KAM else None,
            account=account if level == Level.ACCOUNT else None,
        )
    elif target.locked and not reason.strip():
        raise ValidationError({"reason": _("This target is approved: say why it changes.")})
    target.amount = amount
    target.months = split
    if parent is not None:
        target.parent = parent
    target.save()
    if reason.strip():
        update_change_reason(target, reason.strip())
    return target


def target_suggest_split(*, parent: Target, basis: str = "last_year") -> list[tuple[User, Decimal]]:
    """A team target's suggested split to its KAMs: by each KAM's share of the team's sales
    (gross margin for a margin target) in the year before, from the ledger's monthly
    aggregates; even when `basis` is "even" or nobody sold last year. New key accounts are
    split in whole accounts."""
    assert parent.team is not None
    kams = list(team_kams(parent.team))
    weights = [Decimal("0")] * len(kams)
    if basis == "last_year" and kams:
        value = F("revenue") - F("cost") if parent.metric == Metric.MARGIN else F("revenue")
        rows = (
            AccountMonth.objects.filter(
                account__team=parent.team,
                account__owner__in=kams,
                month__gte=dt.date(parent.year - 1, 1, 1),
                month__lt=dt.date(parent.year, 1, 1),
            )
            .values("account__owner")
            .annotate(total=Sum(value))
        )
        by_owner = {row["account__owner"]: row["total"] or Decimal("0") for row in rows}
        weights = [max(by_owner.get(kam.pk, Decimal("0")), Decimal("0")) for kam in kams]
    unit = Decimal("1") if parent.metric == Metric.NEW_KEY_ACCOUNTS else CENT
    return list(zip(kams, split_by_weights(parent.amount, weights, unit), strict=True))


@transaction.atomic
def target_decompose(
    *,
    user: User,
    parent: Target,
    amounts: Mapping[int, Decimal],
    reason: str = "",
) -> list[Target]:
    """Set the parent's children (team -> KAMs by user ID, KAM -> accounts by account ID), each
    with the parent's monthly profile. They need not add up: the gap is shown."""
    child_level = CHILD_LEVEL.get(Level(parent.level))
    if child_level is None:
        raise ValidationError({"level": _("An account's target is not decomposed further.")})
    target_may_set(user, level=child_level, team=parent.team)
    weights = parent.month_amounts()
    children = []
    if child_level == Level.TEAM:
        owners: dict[int, object] = {t.pk: t for t in Team.objects.filter(pk__in=amounts)}
    elif child_level == Level.KAM:
        assert parent.team is not None
        owners = {u.pk: u for u in team_kams(parent.team).filter(pk__in=amounts)}
    else:
        owners = {
            a.pk: a
            for a in Account.objects.filter(pk__in=amounts, team=parent.team, owner=parent.kam)
        }
    unknown = [str(pk) for pk in amounts if pk not in owners]
    if unknown:
        raise ValidationError({"amounts": _("Not in this team: %s") % ", ".join(unknown)})
    for pk, amount in amounts.items():
        value = _cents(Decimal(str(amount)))
        owner = owners[pk]
        children.append(
            target_set(
                user=user,
                year=parent.year,
                level=child_level,
                metric=parent.metric,
                amount=value,
                team=owner if isinstance(owner, Team) else parent.team,
                kam=owner if isinstance(owner, User) else parent.kam,
                account=owner if isinstance(owner, Account) else None,
                months=split_by_weights(value, weights),
                parent=parent,
                reason=reason,
            )
        )
    return children


# Amounts typed or suggested to the yuan are each off by up to half a yuan: a remainder within
# that many halves is rounding, not a target left to give out.
ROUNDING_PER_PART = Decimal("0.5")


def remainder(total: Decimal, given: Sequence[Decimal], metric: str) -> Decimal:
    """`total` less the sum of `given`, or zero when the difference is within the rounding of
    that many amounts to the yuan (never for a count: new key accounts are whole)."""
    left = total - sum(given, Decimal("0"))
    tolerance = Decimal("0") if metric == Metric.NEW_KEY_ACCOUNTS else ROUNDING_PER_PART
    if abs(left) <= tolerance * len(given):
        return Decimal("0")
    return left


def target_gap(parent: Target) -> Decimal:
    """The top-down target less the bottom-up sum of its children (positive: not yet given out)."""
    given = parent.children.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return parent.amount - given


@transaction.atomic
def target_submit(*, user: User, target: Target) -> Target:
    """The director hands the team's target and its decomposition to the executives."""
    target_may_set(user, level=target.level, team=target.team)
    if target.locked:
        raise ValidationError({"status": _("This target is already approved.")})
    Target.objects.filter(pk=target.pk).update(status=TargetStatus.SUBMITTED)
    target.children.exclude(status=TargetStatus.APPROVED).update(status=TargetStatus.SUBMITTED)
    target.refresh_from_db()
    return target


@transaction.atomic
def target_approve(*, user: User, target: Target) -> Target:
    """An executive approves a target and its decomposition; they are locked from then on."""
    if not (user.is_active and (user.is_superuser or user.role == Role.EXECUTIVE)):
        raise PermissionDenied(_("Only an executive approves targets."))
    if target.locked:
        raise ValidationError({"status": _("This target is already approved.")})
    now = timezone.now()
    for row in [target, *target.children.all()]:
        row.status = TargetStatus.APPROVED
        row.approved_by = user
        row.approved_at = now
        row.save()
        update_change_reason(row, _("Approved"))
    return target


@transaction.atomic
def target_delete(*, user: User, target: Target) -> None:
    target_may_set(user, level=target.level, team=target.team)
    if target.locked:
        raise ValidationError({"status": _("An approved target is not deleted; change it.")})
    target.delete()


def model_forecast(*, account: Account, year: int, quarter: int) -> Decimal:
    """The model's forecast of an account's sales in a quarter: a quarter of the latest
    snapshot's next-year forecast when that snapshot was taken in the year before, otherwise a
    quarter of its last-twelve-months revenue; zero without a snapshot."""
    start = dt.date(year, (quarter - 1) * 3 + 1, 1)
    snapshot = (
        AccountSnapshot.objects.filter(account=account, as_of__lt=start)
        .order_by("-as_of")
        .only("as_of", "forecast_year_1", "revenue_12m")
        .first()
    )
    if snapshot is None:
        return Decimal("0.00")
    base = snapshot.forecast_year_1 if snapshot.as_of.year == year - 1 else snapshot.revenue_12m
    return _cents(base / 4)


@transaction.atomic
def forecast_set(
    *,
    user: User,
    account: Account,
    year: int,
    quarter: int,
    amount: Decimal | None = None,
    accept_model: bool = False,
) -> Forecast:
    """The account's KAM forecasts a quarter, or accepts the model's forecast."""
    # The caller fetched the account through the user's visibility (account_for).
    own = user.is_active and account.owner_id == user.pk
    if not own and not (user.is_superuser or user.role in (Role.EXECUTIVE, Role.DIRECTOR)):
        raise PermissionDenied(_("Only the account's KAM forecasts its sales."))
    errors: dict[str, str] = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("A quarter is 1 to 4.")
    if not accept_model and (amount is None or Decimal(str(amount)) < 0):
        errors["amount"] = _("Give the forecast, or accept the model's.")
    if errors:
        raise ValidationError(errors)
    kam = account.owner if account.owner is not None else user
    model_amount = model_forecast(account=account, year=year, quarter=quarter)
    value = model_amount if accept_model else _cents(Decimal(str(amount)))
    forecast, _created = Forecast.objects.update_or_create(
        account=account,
        year=year,
        quarter=quarter,
        defaults={
            "kam": kam,
            "amount": value,
            "model_amount": model_amount,
            "accepted_model": accept_model,
        },
    )
    return forecast
