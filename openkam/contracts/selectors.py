"""Reusable reads about contracts. Every list starts from the accounts the user sees
(`accounts_visible_to`), so a contract is visible exactly when its account is; its status is
computed in the database from its state and dates (`with_status`), so lists filter and sort
on it."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, user_writes, visible_through
from openkam.common.errors import NotFound, PermissionDenied
from openkam.contracts.execution import (
    DeliveryMonth,
    Execution,
    covered_ids,
    delivery_months,
    executions,
)
from openkam.contracts.models import (
    Attachment,
    Contract,
    ContractState,
    ContractStatus,
    renewal_ahead_days,
)
from openkam.ledger.hierarchy import visible_among
from openkam.team.models import User


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(account__in=accounts_visible_to(user))


def with_status(
    contracts: QuerySet[Contract], *, today: dt.date, ahead_days: int | None = None
) -> QuerySet[Contract]:
    """Annotate `status` (ContractStatus): draft and terminated as recorded; renewed once a
    successor is signed; then by the dates: expired after the end, expiring from `ahead_days`
    before the notice deadline, else active."""
    ahead = dt.timedelta(days=renewal_ahead_days() if ahead_days is None else ahead_days)
    renewed = Contract.objects.filter(renews=OuterRef("pk"), state=ContractState.SIGNED)
    return contracts.annotate(
        status=Case(
            When(state=ContractState.DRAFT, then=Value(ContractStatus.DRAFT.value)),
            When(state=ContractState.TERMINATED, then=Value(ContractStatus.TERMINATED.value)),
            When(Exists(renewed), then=Value(ContractStatus.RENEWED.value)),
            When(ends_on__lt=today, then=Value(ContractStatus.EXPIRED.value)),
            When(notice_by__lte=today + ahead, then=Value(ContractStatus.EXPIRING.value)),
            default=Value(ContractStatus.ACTIVE.value),
            output_field=CharField(),
        )
    )


def contract_for(user: User, pk: int) -> Contract:
    """The contract as `user` may read it, or NotFound (absent and invisible read alike)."""
    found = (
        with_status(contracts_visible_to(user), today=_today())
        .select_related("account", "account__team", "owner", "renews")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No contract with this ID."))
    return found


def writable_contract_for(user: User, pk: int) -> Contract:
    """The contract for a write: NotFound when invisible, PermissionDenied for a role that
    reads only."""
    contract = contract_for(user, pk)
    if not user_writes(user):
        raise PermissionDenied(_("You may not change this contract."))
    return contract


def attachment_for(user: User, pk: int) -> Attachment:
    """A file of a contract the user sees, or NotFound."""
    found = (
        Attachment.objects.filter(contract__in=contracts_visible_to(user))
        .select_related("contract")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No file with this ID."))
    return found


def account_contracts(account: Account, *, user: User, today: dt.date) -> list[Contract]:
    """The contracts that apply to the account now or soon, in one query: its own, and the
    group contracts of a parent the user sees that cover it (contract_coverage_sync keeps the
    covered companies); live ones (draft, active, expiring), soonest renewal first."""
    covering = Contract.covered_accounts.through.objects.filter(account_id=account.pk)
    applies = Q(account=account) | Q(pk__in=covering.values("contract_id"))
    rows = with_status(contracts_visible_to(user).filter(applies), today=today)
    live = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.EXPIRING)
    rows = rows.filter(status__in=live)  # type: ignore[misc]
    return list(rows.select_related("account").order_by("notice_by", "pk")[:10])


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def execution_for(contract: Contract, *, user: User, as_of: dt.date) -> Execution:
    """The contract's execution as `user` may read it: a covered company they may not see is
    counted, never named, and its purchases are left out (the group rule, ledger.hierarchy)."""
    covered = covered_ids([contract])[contract.pk]
    visible = visible_among(user, covered)
    hidden = {contract.pk: len(covered - visible)}
    return executions([contract], as_of=as_of, covered={contract.pk: visible}, hidden=hidden)[0]


def deliveries_for(execution: Execution, *, as_of: dt.date) -> list[DeliveryMonth]:
    """On-time and accurate delivery per month of the current period, over the companies the
    execution counted (those the reader sees)."""
    if execution.period is None:
        return []
    return delivery_months(
        execution.covered,
        since=execution.period.starts_on,
        until=min(as_of, execution.period.ends_on),
    )


def contract_list(
    user: User,
    *,
    today: dt.date,
    status: str = "",
    within: int | None = None,
    search: str = "",
    order: tuple[str, ...] = ("notice_by", "pk"),
) -> QuerySet[Contract]:
    """The contracts the user sees with their status, filtered: by status, by a renewal due
    (the notice deadline) within `within` days of today for live contracts, by a part of the
    account's name or of the contract's number."""
    rows = with_status(contracts_visible_to(user), today=today).select_related("account", "owner")
    if status:
        rows = rows.filter(status=status)  # type: ignore[misc]
    if within is not None:
        live = (ContractStatus.ACTIVE, ContractStatus.EXPIRING)
        rows = rows.filter(status__in=live, notice_by__lte=today + dt.timedelta(days=within))  # type: ignore[misc]
    if search:
        rows = rows.filter(
            Q(account__legal_name__icontains=search)
            | Q(account__short_name__icontains=search)
            | Q(number__icontains=search)
        )
    return rows.order_by(*order)


def account_card_contracts(account: Account, *, user: User, today: dt.date) -> list[Contract]:
    """account_contracts for the account page's card, which has already checked that the user
    sees the account: its own contracts need no visibility test, and a group contract's is
    asked of that contract's own account (visible_through), not by first collecting every
    account the user sees (thousands for a KAM's team: 10-25 ms of SQLite per card). A company
    at the top of its group is covered by its own contracts only (a group contract covers its
    account and the companies below it, contract_coverage_sync), so its card asks no more:
    the covering subquery and the visibility test cost Django 1.5 ms to build and compile."""
    applies = Q(account_id=account.pk)
    if account.parent_id is not None:
        covering = Contract.covered_accounts.through.objects.filter(account_id=account.pk)
        applies |= Q(pk__in=covering.values("contract_id")) & visible_through(user)
    rows = with_status(Contract.objects.filter(applies), today=today)
    live = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.EXPIRING)
    rows = rows.filter(status__in=live)  # type: ignore[misc]
    return list(rows.select_related("account").order_by("notice_by", "pk")[:10])
