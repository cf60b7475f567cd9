"""The ERP ledger of a slice of accounts: orders, lines, invoices, payments and the
per-account aggregates, all drawn and summed with numpy (no Python loop per row).

Within a slice, rows come out sorted by account, then month, then order date, so ids grow in
that order, every index of the ledger tables is appended to at its end, and the aggregates are
sums over contiguous runs (np.add.reduceat).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from openkam.common.bulk import Column, Const, nullable
from openkam.demo.catalogue import CITIES, FAMILIES, SEGMENTS
from openkam.demo.dates import Window
from openkam.demo.plan import AccountPlan
from openkam.demo.text_columns import digits, numbered, yymmdd

SOURCE = "demo-erp"
ON_TIME_DELIVERY = 0.87
LATE_DELIVERY_P = 0.12  # geometric: a late line is about eight days late
FAMILY_REPEAT = 0.7  # share of lines that reorder the account's usual variant
TRAILING_DAYS = 365


@dataclass(frozen=True)
class ProductTable:
    """The catalogue as arrays, indexed by product position (ids are database ids)."""

    ids: NDArray[np.int64]
    family: NDArray[np.int64]
    list_cents: NDArray[np.int64]
    cost_cents: NDArray[np.int64]
    lead_days: NDArray[np.int64]
    family_start: NDArray[np.int64]
    family_size: NDArray[np.int64]
    segment_cdf: NDArray[np.float64]  # (segment, family) cumulative purchase mix

    @classmethod
    def build(cls, first_id: int) -> ProductTable:
        family = np.concatenate([[f] * len(info.variants) for f, info in enumerate(FAMILIES)])
        cost = np.array([cost for info in FAMILIES for _, cost in info.variants])
        markup = np.array([info.markup for info in FAMILIES])[family]
        mix = np.array(
            [[segment.families.get(info.code, 0.0) for info in FAMILIES] for segment in SEGMENTS]
        )
        sizes = np.array([len(info.variants) for info in FAMILIES])
        return cls(
            ids=first_id + np.arange(family.size, dtype=np.int64),
            family=family.astype(np.int64),
            list_cents=np.round(cost * markup * 100).astype(np.int64),
            cost_cents=np.round(cost * 100).astype(np.int64),
            lead_days=np.array([info.lead_days for info in FAMILIES])[family].astype(np.int64),
            family_start=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
            family_size=sizes.astype(np.int64),
            segment_cdf=np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1),
        )


@dataclass
class NextIds:
    order: int
    line: int
    invoice: int
    payment: int
    month: int
    day: int


@dataclass
class LedgerSlice:
    """What one slice of accounts adds: the rows per table and per-account totals in cents."""

    tables: dict[str, dict[str, Column]] = field(default_factory=dict)
    revenue_by_year: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    trailing_revenue: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def line_count(self) -> int:
        lines = self.tables.get("ledger_orderline")
        return 0 if lines is None else len(lines["id"])  # type: ignore[arg-type]


@dataclass
class _Orders:
    cell: NDArray[np.int64]
    day: NDArray[np.int64]  # window day index
    per_cell: NDArray[np.int64]


@dataclass
class _Lines:
    order: NDArray[np.int64]
    cell: NDArray[np.int64]
    line_no: NDArray[np.int64]
    product: NDArray[np.int64]
    quantity: NDArray[np.int64]
    price_cents: NDArray[np.int64]
    unit_cost_cents: NDArray[np.int64]
    promised: NDArray[np.int64]
    delivered: NDArray[np.int64]  # -1: not delivered yet

    @property
    def amount(self) -> NDArray[np.int64]:
        return self.quantity * self.price_cents

    @property
    def cost(self) -> NDArray[np.int64]:
        return self.quantity * self.unit_cost_cents


def _starts(counts: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def _orders(
    rng: np.random.Generator,
    window: Window,
    cell_month: NDArray[np.int64],
    cell_lines: NDArray[np.int64],
    lines_per_order: NDArray[np.float64],
) -> _Orders:
    """Orders per account-month (at least one, at most one per line), on working days."""
    typical = cell_lines / lines_per_order * rng.lognormal(0.0, 0.3, cell_lines.size)
    per_cell = np.clip(np.round(typical), 1, cell_lines).astype(np.int64)
    cell = np.repeat(np.arange(cell_lines.size), per_cell)
    day = window.sample_days(cell_month[cell], rng)
    order = np.lexsort((day, cell))
    return _Orders(cell=cell[order], day=day[order], per_cell=per_cell.astype(np.int64))


def _assign_lines(
    rng: np.random.Generator, orders: _Orders, cell_lines: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Each line's order and cell, sorted by order, and its line number within the order."""
    cell = np.repeat(np.arange(cell_lines.size), cell_lines)
    position = np.arange(cell.size) - np.repeat(_starts(cell_lines), cell_lines)
    per_cell = orders.per_cell[cell]
    # The first lines of a cell go one to each order so that no order is empty.
    in_cell = np.where(position < per_cell, position, rng.integers(0, per_cell))
    order = _starts(orders.per_cell)[cell] + in_cell
    sort = np.argsort(order, kind="stable")
    order, cell = order[sort], cell[sort]
    count = np.bincount(order, minlength=orders.cell.size)
    line_no = np.arange(order.size) - _starts(count)[order] + 1
    return order, cell, line_no


def _products(
    rng: np.random.Generator,
    products: ProductTable,
    segment: NDArray[np.int64],
    taste: NDArray[np.int64],
) -> NDArray[np.int64]:
    """A product per line from the segment's mix; most lines reorder the usual variant."""
    draw = rng.random(segment.size)
    family = np.zeros(segment.size, dtype=np.int64)
    for index, cdf in enumerate(products.segment_cdf):
        mine = segment == index
        family[mine] = np.searchsorted(cdf, draw[mine], side="right")
    family = np.minimum(family, products.family_size.size - 1)
    size = products.family_size[family]
    usual = (taste + family * 7) % size
    variant = np.where(rng.random(segment.size) < FAMILY_REPEAT, usual, rng.integers(0, size))
    return (products.family_start[family] + variant).astype(np.int64)


def _quantities(
    rng: np.random.Generator, line_value: NDArray[np.float64], price_cents: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Whole units worth about the planned line value, rounded the way buyers order."""
    value = line_value * rng.lognormal(-0.18, 0.6, line_value.size)
    quantity = np.maximum(np.round(value * 100.0 / price_cents), 1.0)
    quantity = np.where(quantity > 20, np.round(quantity / 5) * 5, quantity)
    quantity = np.where(quantity > 200, np.round(quantity / 10) * 10, quantity)
    return quantity.astype(np.int64)


def _deliveries(
    rng: np.random.Generator,
    window: Window,
    order_day: NDArray[np.int64],
    lead_days: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    n = order_day.size
    promised = order_day + np.maximum(lead_days + rng.integers(-2, 7, n), 1)
    late = rng.random(n) > ON_TIME_DELIVERY
    slip = np.where(late, rng.geometric(LATE_DELIVERY_P, n), -rng.integers(0, 4, n))
    delivered = np.maximum(promised + slip, order_day + 1)
    delivered = np.where(delivered <= window.n_days - 1, delivered, -1)
    return promised, delivered


def _draw_lines(
    rng: np.random.Generator,
    window: Window,
    plan: AccountPlan,
    products: ProductTable,
    cells: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    orders: _Orders,
) -> _Lines:
    cell_account, _cell_month, cell_lines, cell_revenue = cells
    order, cell, line_no = _assign_lines(rng, orders, cell_lines)
    account = cell_account[cell]
    product = _products(rng, products, plan.segment[account], plan.product_taste[account])
    factor = (1.0 - plan.discount[account]) * (1.0 + rng.normal(0.0, 0.015, order.size))
    price = np.round(products.list_cents[product] * factor).astype(np.int64)
    unit_cost = np.round(
        products.cost_cents[product] * (1.0 + rng.normal(0.0, 0.02, order.size))
    ).astype(np.int64)
    line_value = cell_revenue[cell] / cell_lines[cell]
    quantity = _quantities(rng, line_value, price)
    promised, delivered = _deliveries(rng, window, orders.day[order], products.lead_days[product])
    return _Lines(
        order=order,
        cell=cell,
        line_no=line_no,
        product=product,
        quantity=quantity,
        price_cents=price,
        unit_cost_cents=unit_cost,
        promised=promised,
        delivered=delivered,
    )


def _as_dates(window: Window, day: NDArray[np.int64]) -> NDArray[np.datetime64]:
    dates = (window.first_day + day).astype("datetime64[D]")
    return np.where(day >= 0, dates, np.datetime64("NaT"))


def _money(cents: NDArray[np.int64]) -> NDArray[np.float64]:
    """Cents as yuan; the nearest double prints back as the exact two-decimal amount."""
    return cents / 100.0


@dataclass
class _Invoices:
    order: NDArray[np.int64]  # index of the invoiced order, -1 for a monthly statement
    account: NDArray[np.int64]
    day: NDArray[np.int64]
    due: NDArray[np.int64]
    cents: NDArray[np.int64]


def _monthly_invoices(
    rng: np.random.Generator, window: Window, lines: _Lines, line_account: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(account, day, cents) of one VAT invoice per account and month of delivery, issued in
    the first days of the next month after reconciliation (月结对账开票)."""
    month = window.day_month[np.maximum(lines.delivered, 0)]
    billed = (lines.delivered >= 0) & (month < window.n_months - 1)
    key = line_account[billed] * window.n_months + month[billed]
    keys, which = np.unique(key, return_inverse=True)
    cents = np.round(np.bincount(which, weights=lines.amount[billed])).astype(np.int64)
    day = window.month_end_day[keys % window.n_months] + rng.integers(0, 5, keys.size)
    return keys // window.n_months, np.minimum(day, window.n_days - 1), cents


def _order_invoices(
    rng: np.random.Generator, window: Window, lines: _Lines, order_account: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(order, day, cents) of one invoice per fully delivered order, on its last delivery."""
    n_orders = order_account.size
    starts = _starts(np.bincount(lines.order, minlength=n_orders))
    open_lines = np.bincount(lines.order, weights=lines.delivered < 0, minlength=n_orders)
    order = np.flatnonzero(open_lines == 0)
    last_delivery = np.maximum.reduceat(lines.delivered, starts)[order]
    day = np.minimum(last_delivery + rng.integers(0, 3, order.size), window.n_days - 1)
    return order, day, np.add.reduceat(lines.amount, starts)[order]


def _invoices(
    rng: np.random.Generator,
    window: Window,
    plan: AccountPlan,
    lines: _Lines,
    order_account: NDArray[np.int64],
) -> _Invoices:
    """Monthly statements for accounts on monthly settlement, per-order invoices for the
    others; sorted by account and date. Due on the invoice date plus the payment terms."""
    line_account = order_account[lines.order]
    monthly = plan.monthly_invoicing[line_account]
    per_month = _Lines(*(getattr(lines, f)[monthly] for f in _Lines.__dataclass_fields__))
    month_account, month_day, month_cents = _monthly_invoices(
        rng, window, per_month, line_account[monthly]
    )
    order, order_day, order_cents = _order_invoices(rng, window, lines, order_account)
    keep = ~plan.monthly_invoicing[order_account[order]]
    account = np.concatenate([month_account, order_account[order[keep]]])
    day = np.concatenate([month_day, order_day[keep]])
    sort = np.lexsort((day, account))
    account, day = account[sort], day[sort]
    return _Invoices(
        order=np.concatenate([np.full(month_account.size, -1), order[keep]])[sort],
        account=account,
        day=day,
        due=day + plan.payment_terms[account],
        cents=np.concatenate([month_cents, order_cents[keep]])[sort],
    )


def _payment_days(
    rng: np.random.Generator,
    plan: AccountPlan,
    account: NDArray[np.int64],
    invoices: _Invoices,
) -> NDArray[np.int64]:
    """Payment day per invoice, -1 when unpaid: good payers settle around the due date,
    late payers weeks or months after it, and some invoices of bad payers never."""
    n = account.size
    early = invoices.due - rng.integers(0, 11, n)
    slightly_late = invoices.due + rng.integers(1, 16, n)
    good = np.where(rng.random(n) < 0.95, early, slightly_late)
    late = invoices.due + np.round(rng.gamma(2.0, plan.late_days[account] / 2.0)).astype(np.int64)
    day = np.where(plan.late_payer[account], late, good)
    day = np.maximum(day, invoices.day)
    never = rng.random(n) < plan.bad_debt_share[account]
    return np.where(never, -1, day)


def _reference(
    rng: np.random.Generator, plan: AccountPlan, account: NDArray[np.int64], ids: NDArray[np.int64]
) -> NDArray[np.str_]:
    """电汇 (TT), 银行承兑汇票 (BA) or, mostly for developers, 商业承兑汇票 (CA)."""
    developer = np.array([s.key == "developer" for s in SEGMENTS])[plan.segment[account]]
    draw = rng.random(account.size)
    method = np.where(draw < 0.3, "BA", "TT")
    method = np.where(developer & (draw > 0.6), "CA", method)
    return np.strings.add(method, digits(ids % 10**10, 10))


def generate_slice(
    rng: np.random.Generator,
    *,
    window: Window,
    plan: AccountPlan,
    products: ProductTable,
    accounts: slice,
    lines_matrix: NDArray[np.int32],
    revenue_matrix: NDArray[np.float64],
    account_ids: NDArray[np.int64],
    ids: NextIds,
) -> LedgerSlice:
    """The ledger of plan accounts `accounts` (a contiguous slice); advances `ids`."""
    first = accounts.start or 0
    local_account, cell_month = np.nonzero(lines_matrix)
    cell_account = (first + local_account).astype(np.int64)
    cell_month = cell_month.astype(np.int64)
    cell_lines = lines_matrix[local_account, cell_month].astype(np.int64)
    cell_revenue = revenue_matrix[local_account, cell_month]
    orders = _orders(rng, window, cell_month, cell_lines, plan.lines_per_order[cell_account])
    cells = (cell_account, cell_month, cell_lines, cell_revenue)
    lines = _draw_lines(rng, window, plan, products, cells, orders)
    order_account = cell_account[orders.cell]
    invoices = _invoices(rng, window, plan, lines, order_account)
    invoice_account = invoices.account
    pay_day = _payment_days(rng, plan, invoice_account, invoices)
    paid = np.flatnonzero((pay_day >= 0) & (pay_day <= window.n_days - 1))

    result = LedgerSlice()
    order_ids = ids.order + np.arange(orders.cell.size, dtype=np.int64)
    line_ids = ids.line + np.arange(lines.order.size, dtype=np.int64)
    invoice_ids = ids.invoice + np.arange(invoices.order.size, dtype=np.int64)
    payment_ids = ids.payment + np.arange(paid.size, dtype=np.int64)
    open_orders = np.bincount(lines.order, weights=lines.delivered < 0, minlength=order_ids.size)
    order_dates = _as_dates(window, orders.day)
    result.tables["ledger_order"] = {
        "id": order_ids,
        "source": Const(SOURCE),
        "external_id": numbered("SO", order_ids, 10),
        "account_id": account_ids[order_account],
        "order_no": numbered("SO", yymmdd(order_dates) * 10**8 + order_ids % 10**8, 14),
        "order_date": order_dates,
        "status": np.where(open_orders > 0, "open", "delivered"),
        "currency": Const("CNY"),
    }
    delivered = lines.delivered >= 0
    result.tables["ledger_orderline"] = {
        "id": line_ids,
        "source": Const(SOURCE),
        "external_id": numbered("L", line_ids, 11),
        "order_id": order_ids[lines.order],
        "account_id": account_ids[cell_account[lines.cell]],
        "product_id": products.ids[lines.product],
        "line_no": lines.line_no,
        "quantity": lines.quantity,
        "unit_price": _money(lines.price_cents),
        "unit_cost": _money(lines.unit_cost_cents),
        "amount": _money(lines.amount),
        "cost": _money(lines.cost),
        "currency": Const("CNY"),
        "promised_date": _as_dates(window, lines.promised),
        "delivered_date": _as_dates(window, lines.delivered),
        "delivered_quantity": nullable(lines.quantity, delivered),
    }
    invoice_dates = _as_dates(window, invoices.day)
    province = np.array([int(c.division[:2] or 0) for c in CITIES])[plan.city[invoice_account]]
    # 数电发票 numbers have 20 digits: year, province, then a serial.
    prefix = digits((yymmdd(invoice_dates) // 10_000) * 100 + province, 4)
    result.tables["ledger_invoice"] = {
        "id": invoice_ids,
        "source": Const(SOURCE),
        "external_id": numbered("INV", invoice_ids, 10),
        "account_id": account_ids[invoice_account],
        "order_id": nullable(order_ids[np.maximum(invoices.order, 0)], invoices.order >= 0),
        "invoice_no": np.strings.add(prefix, numbered("2", invoice_ids % 10**15, 15)),
        "invoice_date": invoice_dates,
        "due_date": _as_dates(window, invoices.due),
        "amount": _money(invoices.cents),
        "currency": Const("CNY"),
    }
    payment_account = invoice_account[paid]
    result.tables["ledger_payment"] = {
        "id": payment_ids,
        "source": Const(SOURCE),
        "external_id": numbered("PAY", payment_ids, 10),
        "account_id": account_ids[payment_account],
        "invoice_id": invoice_ids[paid],
        "payment_date": _as_dates(window, pay_day[paid]),
        "amount": _money(invoices.cents[paid]),
        "currency": Const("CNY"),
        "reference": _reference(rng, plan, payment_account, payment_ids),
    }
    _aggregates(result, window, lines, orders, cells, account_ids, ids)
    _account_totals(result, window, lines, orders, cells, accounts, plan.n)
    ids.order += order_ids.size
    ids.line += line_ids.size
    ids.invoice += invoice_ids.size
    ids.payment += payment_ids.size
    return result


def _aggregates(
    result: LedgerSlice,
    window: Window,
    lines: _Lines,
    orders: _Orders,
    cells: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    account_ids: NDArray[np.int64],
    ids: NextIds,
) -> None:
    """AccountMonth and AccountPurchaseDay, summed from the very lines written above."""
    cell_account, cell_month, cell_lines, _ = cells
    amount, cost = lines.amount, lines.cost
    # Lines are sorted by order and orders by cell: each cell is one contiguous run.
    cell_start = _starts(cell_lines)
    month_ids = ids.month + np.arange(cell_lines.size, dtype=np.int64)
    result.tables["ledger_accountmonth"] = {
        "id": month_ids,
        "account_id": account_ids[cell_account],
        "month": window.month_first_date()[cell_month],
        "revenue": _money(np.add.reduceat(amount, cell_start)),
        "cost": _money(np.add.reduceat(cost, cell_start)),
        "quantity": np.add.reduceat(lines.quantity, cell_start),
        "order_count": orders.per_cell,
        "line_count": cell_lines,
    }
    # Within a cell orders run by date, so (account, day) is sorted along the lines too.
    line_day = orders.day[lines.order]
    key = cell_account[lines.cell] * window.n_days + line_day
    day_start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    day_ids = ids.day + np.arange(day_start.size, dtype=np.int64)
    result.tables["ledger_accountpurchaseday"] = {
        "id": day_ids,
        "account_id": account_ids[cell_account[lines.cell[day_start]]],
        "day": _as_dates(window, line_day[day_start]),
        "revenue": _money(np.add.reduceat(amount, day_start)),
        "cost": _money(np.add.reduceat(cost, day_start)),
    }
    ids.month += month_ids.size
    ids.day += day_ids.size


def _account_totals(
    result: LedgerSlice,
    window: Window,
    lines: _Lines,
    orders: _Orders,
    cells: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    accounts: slice,
    n_accounts: int,
) -> None:
    """Revenue per account and calendar year, and over the trailing twelve months (the
    measure the tiers use), for the slice's accounts."""
    first = accounts.start or 0
    size = (accounts.stop or n_accounts) - first
    local = cells[0][lines.cell] - first
    day = orders.day[lines.order]
    years = window.years
    day_year = (
        (window.first_day + day).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        + 1970
        - years[0]
    )
    amount = lines.amount.astype(np.float64)  # exact: sums stay far below 2**53 cents
    by_year = np.bincount(
        local * len(years) + day_year, weights=amount, minlength=size * len(years)
    )
    result.revenue_by_year = np.round(by_year).astype(np.int64).reshape(size, len(years))
    recent = day > window.n_days - 1 - TRAILING_DAYS
    trailing = np.bincount(local, weights=np.where(recent, amount, 0.0), minlength=size)
    result.trailing_revenue = np.round(trailing).astype(np.int64)
