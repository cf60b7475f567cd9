"""Contract execution from the ledger (合同执行监控): contracted against actual value and
volume in the current commitment period, pro rata to its elapsed share, the shortfall or
overrun per item, and the average price paid against the contracted price.

The ledger is summed in the database, one query for any number of contracts: order lines of
the covered companies, grouped by company, product (and its family), currency and month. The
rows that come back are those sums, never ledger lines; each contract then takes the months of
its period (periods are whole months: `periods`). The contract page and the shortfall rule
both call `executions`, so they read the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from openkam.contracts.models import Contract, ContractItem
from openkam.contracts.periods import Period, elapsed_share, month_index, period_at
from openkam.ledger.models import Order, OrderLine

ZERO = Decimal("0")
CENTS = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class LedgerSum:
    account_id: int
    product_id: int
    family: str
    currency: str
    month: dt.date
    amount: Decimal
    quantity: Decimal


@dataclass
class Measure:
    """Contracted (for the whole period), due by now (pro rata) and actual, for a value or a
    volume; gap = actual - due (negative: shortfall)."""

    contracted: Decimal | None
    due: Decimal | None
    actual: Decimal

    @property
    def gap(self) -> Decimal | None:
        return None if self.due is None else self.actual - self.due

    @property
    def gap_rate(self) -> Decimal | None:
        """The gap as a share of what was due (-0.2: 20 % short)."""
        if self.due is None or self.due == 0:
            return None
        return (self.actual - self.due) / self.due


@dataclass
class ItemExecution:
    item: ContractItem
    value: Measure
    volume: Measure
    price_paid: Decimal | None  # amount / quantity of the matched ledger

    @property
    def price_gap_rate(self) -> Decimal | None:
        """Price paid against the contracted price (0.05: paid 5 % above)."""
        contracted = self.item.unit_price
        if self.price_paid is None or not contracted:
            return None
        return self.price_paid / contracted - 1


@dataclass
class Execution:
    contract: Contract
    period: Period | None
    share: Decimal  # of the period elapsed
    total: Measure
    items: list[ItemExecution]
    monthly: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # matched value
    hidden_members: int = 0  # covered companies the reader may not see, left out
    as_of: dt.date | None = None
    covered: frozenset[int] = frozenset()  # the companies counted

    @property
    def shortfall(self) -> Decimal:
        """How far the total value is behind what was due (0 when on or over)."""
        gap = self.total.gap
        return -gap if gap is not None and gap < 0 else ZERO

    def chart(self) -> dict[str, list[str] | list[float | None]]:
        """Months of the period with the value bought each month and its running total (up
        to the current month, empty after), and the contracted value due by each month's end
        (the straight pro-rata line over the whole period)."""
        if self.period is None:
            return {"months": [], "actual": [], "cumulative": [], "due": []}
        bought = dict(self.monthly)
        months = self.period.month_starts()
        last = month_index(self.as_of) if self.as_of else month_index(self.period.ends_on)
        running = ZERO
        actual: list[float | None] = []
        cumulative: list[float | None] = []
        for month in months:
            shown = month_index(month) <= last
            running += bought.get(month, ZERO)
            actual.append(float(bought.get(month, ZERO)) if shown else None)
            cumulative.append(float(running) if shown else None)
        per_month = (self.total.contracted or ZERO) / self.period.months
        due: list[float | None] = [float(per_month * (i + 1)) for i in range(len(months))]
        return {
            "months": [f"{month:%Y-%m}" for month in months],
            "actual": actual,
            "cumulative": cumulative,
            "due": due,
        }


def ledger_sums(account_ids: Iterable[int], *, since: dt.date, until: dt.date) -> list[LedgerSum]:
    """Order lines of these companies from `since` to `until` (order dates, cancelled orders
    left out), summed per company, product, currency and month in one query."""
    ids = sorted(set(account_ids))
    if not ids or until < since:
        return []
    rows = (
        OrderLine.objects.filter(
            account_id__in=ids, order__order_date__gte=since, order__order_date__lte=until
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .annotate(month=TruncMonth("order__order_date"))
        .values("account_id", "product_id", "product__family", "currency", "month")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by()
    )
    return [
        LedgerSum(
            row["account_id"],
            row["product_id"],
            row["product__family"],
            row["currency"],
            _as_date(row["month"]),
            (row["amount"] or ZERO).quantize(CENTS),
            (row["quantity"] or ZERO).quantize(MILLI),
        )
        for row in rows
    ]


def _as_date(month: dt.date | dt.datetime) -> dt.date:
    return month.date() if isinstance(month, dt.datetime) else month


def _matches(item: ContractItem, row: LedgerSum) -> bool:
    if item.product_id is not None:
        return row.product_id == item.product_id
    return row.family == item.family


def _due(contracted: Decimal | None, share: Decimal) -> Decimal | None:
    return None if contracted is None else (contracted * share).quantize(CENTS)


def execution_of(
    contract: Contract,
    rows: Iterable[LedgerSum],
    *,
    covered: set[int],
    as_of: dt.date,
    hidden_members: int = 0,
) -> Execution:
    """One contract's execution from ledger sums (any superset of its rows)."""
    period = period_at(contract.starts_on, contract.ends_on, contract.period_months(), as_of)
    share = elapsed_share(period, as_of) if period else ZERO
    mine: list[LedgerSum] = []
    if period is not None:
        first, last = month_index(period.starts_on), month_index(period.ends_on)
        mine = [
            row
            for row in rows
            if row.account_id in covered
            and row.currency == contract.currency
            and first <= month_index(row.month) <= last
        ]
    items = list(contract.items.all())
    lines = [_item_execution(item, mine, share) for item in items]
    counted = (
        mine
        if contract.committed_value is not None or not items
        else [row for row in mine if any(_matches(item, row) for item in items)]
    )
    monthly: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for row in counted:
        monthly[row.month] += row.amount
    contracted = contract.committed_value
    if contracted is None and any(item.amount is not None for item in items):
        contracted = sum((item.amount or ZERO for item in items), ZERO)
    actual = sum((row.amount for row in counted), ZERO)
    return Execution(
        contract=contract,
        period=period,
        share=share,
        total=Measure(contracted, _due(contracted, share), actual),
        items=lines,
        monthly=sorted(monthly.items()),
        hidden_members=hidden_members,
        as_of=as_of,
        covered=frozenset(covered),
    )


def _item_execution(item: ContractItem, rows: list[LedgerSum], share: Decimal) -> ItemExecution:
    matched = [row for row in rows if _matches(item, row)]
    amount = sum((row.amount for row in matched), ZERO)
    quantity = sum((row.quantity for row in matched), ZERO)
    volume_due = None if item.quantity is None else (item.quantity * share).quantize(CENTS)
    return ItemExecution(
        item=item,
        value=Measure(item.amount, _due(item.amount, share), amount),
        volume=Measure(item.quantity, volume_due, quantity),
        price_paid=(amount / quantity).quantize(Decimal("0.0001")) if quantity else None,
    )


def covered_ids(contracts: Iterable[Contract]) -> dict[int, set[int]]:
    """The companies each contract covers (one query for all)."""
    ids = [contract.pk for contract in contracts]
    through = Contract.covered_accounts.through
    found: dict[int, set[int]] = {pk: set() for pk in ids}
    for contract_id, account_id in through.objects.filter(contract_id__in=ids).values_list(
        "contract_id", "account_id"
    ):
        found[contract_id].add(account_id)
    return found


def executions(
    contracts: list[Contract],
    *,
    as_of: dt.date,
    covered: Mapping[int, set[int]] | None = None,
    hidden: Mapping[int, int] | None = None,
) -> list[Execution]:
    """The execution of every contract, with one ledger query for all of them. `covered`
    narrows the companies counted (to those a reader sees); `hidden` says how many were left
    out, per contract."""
    covered = covered if covered is not None else covered_ids(contracts)
    periods = [period_at(c.starts_on, c.ends_on, c.period_months(), as_of) for c in contracts]
    starts = [period.starts_on for period in periods if period is not None]
    accounts = set().union(*covered.values()) if covered else set()
    rows = ledger_sums(accounts, since=min(starts), until=as_of) if starts else []
    by_account: dict[int, list[LedgerSum]] = defaultdict(list)
    for row in rows:
        by_account[row.account_id].append(row)
    return [
        execution_of(
            contract,
            [row for pk in covered.get(contract.pk, set()) for row in by_account.get(pk, [])],
            covered=covered.get(contract.pk, set()),
            as_of=as_of,
            hidden_members=(hidden or {}).get(contract.pk, 0),
        )
        for contract in contracts
    ]


@dataclass(frozen=True)
class DeliveryMonth:
    """Order lines of one month (by order date) with a promised and a delivered date, and
    how many came on or before the promise; lines with a delivered quantity, and how many
    delivered exactly the ordered quantity."""

    month: dt.date
    dated: int
    on_time: int
    counted: int
    accurate: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.dated if self.dated else None

    @property
    def accurate_rate(self) -> float | None:
        return self.accurate / self.counted if self.counted else None


def delivery_months(
    account_ids: Iterable[int], *, since: dt.date, until: dt.date
) -> list[DeliveryMonth]:
    """On-time and accurate delivery per month of these companies' order lines (cancelled
    orders left out), counted in the database."""
    ids = sorted(set(account_ids))
    if not ids or until < since:
        return []
    dated = Q(promised_date__isnull=False, delivered_date__isnull=False)
    rows = (
        OrderLine.objects.filter(
            account_id__in=ids, order__order_date__gte=since, order__order_date__lte=until
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .annotate(month=TruncMonth("order__order_date"))
        .values("month")
        .annotate(
            dated=Count("pk", filter=dated),
            on_time=Count("pk", filter=dated & Q(delivered_date__lte=F("promised_date"))),
            counted=Count("pk", filter=Q(delivered_quantity__isnull=False)),
            accurate=Count("pk", filter=Q(delivered_quantity=F("quantity"))),
        )
        .order_by("month")
    )
    return [
        DeliveryMonth(
            _as_date(row["month"]), row["dated"], row["on_time"], row["counted"], row["accurate"]
        )
        for row in rows
    ]


def delivery_total(months: Iterable[DeliveryMonth]) -> DeliveryMonth | None:
    """The months added up (None when there are none)."""
    rows = list(months)
    if not rows:
        return None
    return DeliveryMonth(
        rows[-1].month,
        sum(row.dated for row in rows),
        sum(row.on_time for row in rows),
        sum(row.counted for row in rows),
        sum(row.accurate for row in rows),
    )
