"""Bulk upsert of ledger rows by (source, external_id): orders with their lines, invoices,
payments and costs to serve.

One request is one transaction: every item is resolved and validated first, and a single
unknown reference, invalid value or account the user may not change refuses the whole request
with errors naming the item (`loc: ["items", 3, "amount"]`); nothing is saved. The rows are
then written by the ledger's one write path (``ledger.upsert``), the one a file import uses:
the same comparison by (source, external_id), so sending the same rows again changes nothing
and reports them `unchanged`. A fixed number of queries per request (references and existing
rows are read in bulk), then the per-account aggregates of the touched accounts are rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.selectors import accounts_visible_to
from openkam.api.common import model_errors
from openkam.api.errors import ApiError, field_error, forbidden, invalid
from openkam.api.permissions import require_writer, writable_account_ids
from openkam.common.models import default_currency
from openkam.ledger.currency import document_in_company_currency
from openkam.ledger.lines import line_key, lines_derive
from openkam.ledger.models import CostToServe, Invoice, Order, OrderLine, Payment, Product
from openkam.ledger.services import aggregates_rebuild
from openkam.ledger.upsert import (
    COST_FIELDS,
    INVOICE_FIELDS,
    LINE_FIELDS,
    ORDER_FIELDS,
    PAYMENT_FIELDS,
    UNCHANGED,
    UPDATED,
    KeyedTable,
    Upserted,
    due_dates,
    order_lines_delete,
)
from openkam.team.models import User

ErrorList = list[dict[str, Any]]


@dataclass
class ItemResult:
    index: int
    id: int | None
    source: str
    external_id: str
    result: str


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    items: list[ItemResult] = field(default_factory=list)


@dataclass
class Planned:
    """One item checked: its key and row values, and for an order its lines (position sent,
    key, line, product), their values and the stored lines it no longer has."""

    index: int
    source: str
    external_id: str
    values: dict[str, Any]
    lines: list[tuple[int, str, Any, Product]] = field(default_factory=list)
    line_values: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lines_deleted: list[int] = field(default_factory=list)
    result: str = UNCHANGED
    id: int | None = None


def no_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList, user: User
) -> dict[int, dict[str, Any]]:
    return {}


@dataclass(frozen=True)
class Spec:
    model: type[models.Model]
    # The table's values (``ledger.upsert``), and those copied as sent (the schema field has
    # the model field's name).
    fields: tuple[str, ...]
    sent: tuple[str, ...]
    # Foreign keys resolved here, left out of full_clean() so it does not query per row.
    foreign_keys: tuple[str, ...] = ("account",)
    resolve: Callable[
        [Sequence[Any], list[int | None], ErrorList, User], dict[int, dict[str, Any]]
    ] = no_refs
    # An invoice or a payment: converted into the company currency as a file import converts
    # it (``ledger.currency``), from the exchange_rate or local_amount sent.
    converts: bool = False


def _loc(index: int, *rest: str | int) -> list[str | int]:
    return ["items", index, *rest]


# --- References ---------------------------------------------------------------------------


def resolve_accounts(items: Sequence[Any], errors: ErrorList, *, user: User) -> list[int | None]:
    """The account of every item, from account_id or account_credit_code (two queries at
    most); unknown ones become field errors. Only the accounts the user sees are looked at,
    so another team's account reads as unknown, by ID or by credit code (issue 17)."""
    visible = accounts_visible_to(user)
    ids = {item.account_id for item in items if item.account_id is not None}
    codes = {item.account_credit_code for item in items if item.account_credit_code}
    known_ids = set(visible.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    by_code = (
        dict(visible.filter(credit_code__in=codes).values_list("credit_code", "pk"))
        if codes
        else {}
    )
    accounts: list[int | None] = []
    for index, item in enumerate(items):
        account_id = item.account_id
        if item.account_credit_code:
            coded = by_code.get(item.account_credit_code)
            if coded is None:
                message = _("No account with this credit code.")
                errors.append(field_error(_loc(index, "account_credit_code"), message))
            elif account_id is not None and account_id != coded:
                message = _("The account ID and the credit code name different accounts.")
                errors.append(field_error(_loc(index, "account_id"), message))
            account_id = coded if account_id is None else account_id
        elif account_id is None:
            message = _("Give account_id or account_credit_code.")
            errors.append(field_error(_loc(index, "account_id"), message))
        if account_id is not None and item.account_id is not None and account_id not in known_ids:
            errors.append(field_error(_loc(index, "account_id"), _("No account with this ID.")))
            account_id = None
        accounts.append(account_id)
    return accounts


def _by_external_id(
    model: type[models.Model], keys: set[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    if not keys:
        return {}
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    condition = Q()
    for source, external_ids in by_source.items():
        condition |= Q(source=source, external_id__in=external_ids)
    manager: Any = model._default_manager
    return {(row.source, row.external_id): row for row in manager.filter(condition)}


def _parent_refs(
    items: Sequence[Any],
    accounts: list[int | None],
    errors: ErrorList,
    *,
    user: User,
    model: type[models.Model],
    attribute: str,
    target: str,
) -> dict[int, dict[str, Any]]:
    """Invoices name their order, payments their invoice, by external ID in the same source;
    the row must be of the same account. Rows of other accounts count only where the user
    sees them (so a refusal never tells another team's order exists, issue 17): `accounts`
    holds visible accounts only (resolve_accounts)."""
    wanted = {(item.source, getattr(item, attribute)) for item in items if getattr(item, attribute)}
    found = _by_external_id(model, wanted)
    seen = _visible_ids(user, {row.account_id for row in found.values()} - set(accounts))
    found = {
        key: row
        for key, row in found.items()
        if row.account_id in accounts or row.account_id in seen
    }
    resolved: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(items):
        external_id = getattr(item, attribute)
        if not external_id:
            resolved[index] = {target: None}
            continue
        row = found.get((item.source, external_id))
        if row is None:
            message = _("No row with this external ID in this source.")
            errors.append(field_error(_loc(index, attribute), message))
        elif accounts[index] is not None and row.account_id != accounts[index]:
            message = _("This row belongs to another account.")
            errors.append(field_error(_loc(index, attribute), message))
        else:
            resolved[index] = {target: row.pk}
    return resolved


def _visible_ids(user: User, account_ids: set[Any]) -> set[int]:
    """Of these accounts, those the user sees, in one query (none when there are none)."""
    ids = {pk for pk in account_ids if pk is not None}
    if not ids:
        return set()
    return set(accounts_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _invoice_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList, user: User
) -> dict[int, dict[str, Any]]:
    return _parent_refs(
        items,
        accounts,
        errors,
        user=user,
        model=Order,
        attribute="order_external_id",
        target="order_id",
    )


def _payment_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList, user: User
) -> dict[int, dict[str, Any]]:
    return _parent_refs(
        items,
        accounts,
        errors,
        user=user,
        model=Invoice,
        attribute="invoice_external_id",
        target="invoice_id",
    )


SPECS = {
    "order": Spec(Order, ORDER_FIELDS, ("order_no", "order_date", "status", "currency")),
    "invoice": Spec(
        Invoice,
        INVOICE_FIELDS,
        ("invoice_no", "invoice_date", "due_date", "amount", "currency"),
        ("account", "order"),
        _invoice_refs,
        converts=True,
    ),
    "payment": Spec(
        Payment,
        PAYMENT_FIELDS,
        ("payment_date", "amount", "currency", "reference"),
        ("account", "invoice"),
        _payment_refs,
        converts=True,
    ),
    "cost_to_serve": Spec(
        CostToServe, COST_FIELDS, ("year", "kind", "category", "amount", "currency", "note")
    ),
}


# --- Validation ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """An enum member sent (a status, a kind) as the text the column stores."""
    return value.value if isinstance(value, Enum) else value


def _values(spec: Spec, item: Any, account_id: int, refs: dict[str, Any]) -> dict[str, Any]:
    values = {name: _plain(getattr(item, name)) for name in spec.sent}
    if values.get("currency") is None:
        values["currency"] = default_currency()
    return {**values, "account_id": account_id, **refs}


def _plan_rows(
    spec: Spec,
    items: Sequence[Any],
    accounts: list[int | None],
    refs: dict[int, dict[str, Any]],
    errors: ErrorList,
) -> list[Planned]:
    """Each item's row values, checked by the model's own validation (nothing is written
    here: the ledger's write path compares and stores them)."""
    plans = []
    for index, item in enumerate(items):
        account_id = accounts[index]
        if account_id is None or (spec.resolve is not no_refs and index not in refs):
            continue  # its error is already listed
        values = _values(spec, item, account_id, refs.get(index, {}))
        if spec.converts and not _converted(values, item, index, errors):
            continue
        plans.append(Planned(index, item.source, item.external_id, values))
    if spec.model is Invoice:
        _fill_due_dates(plans)
    for plan in plans:
        row = spec.model(source=plan.source, external_id=plan.external_id, **plan.values)
        errors += model_errors(row, prefix=_loc(plan.index), exclude=list(spec.foreign_keys))
    return plans


def _converted(values: dict[str, Any], item: Any, index: int, errors: ErrorList) -> bool:
    """The item's amount in the company currency, its own currency, amount and rate kept
    beside (the file import's rule, ``ledger.currency``); False with a field error when the
    rate is refused."""
    try:
        stored = document_in_company_currency(
            company=default_currency(),
            currency=values["currency"],
            amount=values["amount"],
            exchange_rate=item.exchange_rate,
            local_amount=item.local_amount,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.append(field_error(_loc(index, name), messages[0]))
        return False
    values.update(stored.values())
    return True


def _fill_due_dates(plans: list[Planned]) -> None:
    """An invoice sent without due date falls due after its account's payment terms, as an
    imported one does (``ledger.upsert.due_dates``)."""
    due = due_dates(
        invoice_date=[plan.values["invoice_date"] for plan in plans],
        due_date=[plan.values["due_date"] for plan in plans],
        account_id=[plan.values["account_id"] for plan in plans],
    )
    for plan, day in zip(plans, due, strict=True):
        plan.values["due_date"] = day


def _line_key(order: Any, line: Any) -> str:
    """The line's external ID: as sent, else its order's and its line number (as an import
    keys a line of a file without line IDs)."""
    return line_key(order.external_id, line.line_no, line.external_id)


def _plan_lines(items: Sequence[Any], plans: list[Planned], errors: ErrorList) -> None:
    """The lines of each order, checked, with their derived values (``ledger.lines``); the
    stored lines of an order that it no longer sends are to be deleted (the order as sent is
    the whole order)."""
    skus = {line.product_sku for item in items for line in item.lines}
    products = {product.sku: product for product in Product.objects.filter(sku__in=skus)}
    stored, claimed = _stored_lines(items)
    used: dict[tuple[str, str], int] = {}
    for plan in plans:
        item = items[plan.index]
        seen: set[int] = set()
        for number, line in enumerate(item.lines):
            loc = _loc(plan.index, "lines", number)
            key = _line_key(item, line)
            message = _line_error(line, seen, products, claimed.get((item.source, key)), item)
            if message is None and used.setdefault((item.source, key), plan.index) != plan.index:
                message = ("external_id", _("This external ID belongs to a line of another order."))
            seen.add(line.line_no)
            if message is not None:
                errors.append(field_error([*loc, message[0]], message[1]))
                continue
            plan.lines.append((number, key, line, products[line.product_sku]))
        sent = {key for _number, key, _line, _product in plan.lines}
        plan.lines_deleted = [
            pk for pk, key in stored.get((item.source, item.external_id), {}).items()
            if key not in sent
        ]  # fmt: skip
    _derive_lines(plans, errors)


def _line_error(
    line: Any, seen: set[int], products: dict[str, Product], owner: str | None, item: Any
) -> tuple[str, str] | None:
    """The first thing wrong with a line sent, as (field, message)."""
    if line.line_no in seen:
        return "line_no", _("This line number is repeated.")
    if line.product_sku not in products:
        return "product_sku", _("No product with this SKU.")
    if line.unit_price is None and line.amount is None:
        return "unit_price", _("Give unit_price or amount.")
    if owner is not None and owner != item.external_id:
        return "external_id", _("This external ID belongs to a line of another order.")
    return None


def _derive_lines(plans: list[Planned], errors: ErrorList) -> None:
    """The lines' values, derived at once as a file import derives them, then checked by the
    model's validation."""
    lines = [(plan, *entry) for plan in plans for entry in plan.lines]
    derived = lines_derive(
        quantity=[line.quantity for _p, _n, _k, line, _product in lines],
        unit_price=[line.unit_price for _p, _n, _k, line, _product in lines],
        amount=[line.amount for _p, _n, _k, line, _product in lines],
        unit_cost=[line.unit_cost for _p, _n, _k, line, _product in lines],
        cost=[line.cost for _p, _n, _k, line, _product in lines],
        standard_cost=[product.standard_cost for *_rest, product in lines],
        currency=[plan.values["currency"] for plan, *_rest in lines],
    )
    for at, (plan, number, key, line, product) in enumerate(lines):
        values = {
            "order_id": None,  # the order's, once it is stored
            "account_id": plan.values["account_id"],
            "product_id": product.pk,
            "line_no": line.line_no,
            "quantity": line.quantity,
            "unit_price": derived.unit_price[at],
            "unit_cost": derived.unit_cost[at],
            "amount": derived.amount[at],
            "cost": derived.cost[at],
            "currency": plan.values["currency"],
            "promised_date": line.promised_date,
            "delivered_date": line.delivered_date,
            "delivered_quantity": line.delivered_quantity,
        }
        plan.line_values.append((key, values))
        row = OrderLine(source=plan.source, external_id=key, **values)
        # The currency is the order's, checked there.
        exclude = ["order", "account", "product", "currency"]
        errors += model_errors(row, prefix=_loc(plan.index, "lines", number), exclude=exclude)


def _stored_lines(
    items: Sequence[Any],
) -> tuple[dict[tuple[str, str], dict[int, str]], dict[tuple[str, str], str]]:
    """In one query: the stored lines of the orders sent ((source, order external ID) -> line
    id -> its external ID), and the order that owns each line external ID the request uses."""
    orders: dict[str, list[str]] = defaultdict(list)
    keys: dict[str, list[str]] = defaultdict(list)
    for item in items:
        orders[item.source].append(item.external_id)
        keys[item.source] += [_line_key(item, line) for line in item.lines]
    condition = Q(pk__in=[])
    for source, external_ids in orders.items():
        condition |= Q(source=source, order__source=source, order__external_id__in=external_ids)
        condition |= Q(source=source, external_id__in=keys[source])
    stored: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    claimed: dict[tuple[str, str], str] = {}
    found = OrderLine.objects.filter(condition).values_list(
        "pk", "source", "external_id", "order__external_id"
    )
    for pk, source, external_id, order in found:
        stored[(source, order)][pk] = external_id
        if external_id:
            claimed[(source, external_id)] = order
    return stored, claimed


def _repeated_keys(items: Sequence[Any], errors: ErrorList) -> None:
    first: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        key = (item.source, item.external_id)
        if key in first:
            message = _("Item %(index)s has the same source and external ID.") % {
                "index": first[key]
            }
            errors.append(field_error(_loc(index, "external_id"), message))
        first.setdefault(key, index)


def _stored_accounts(model: type[models.Model], items: Sequence[Any]) -> dict[int, int]:
    """The account of the stored row each item would change (item index -> account id)."""
    stored = _by_external_id(model, {(item.source, item.external_id) for item in items})
    return {
        index: stored[key].account_id
        for index, item in enumerate(items)
        if (key := (item.source, item.external_id)) in stored
    }


def _check_permission(
    user: User, accounts: list[int | None], stored_accounts: dict[int, int], errors: ErrorList
) -> None:
    """Every account written to, and every account a row is moved away from, must be one
    the user may change. A stored row of an account the user does not see is the key's
    error (422), naming no account (issue 17): the key is taken, by whom is not said."""
    wanted = {a for a in accounts if a is not None} | set(stored_accounts.values())
    allowed = writable_account_ids(user, wanted)
    unseen = (
        set(stored_accounts.values()) - allowed - _visible_ids(user, set(stored_accounts.values()))
    )
    message = _("You may not change data of this account.")
    refused = [
        field_error(_loc(index, "account_id"), message)
        for index, account_id in enumerate(accounts)
        if account_id is not None and account_id not in allowed
    ] + [
        field_error(_loc(index, "external_id"), message)
        for index, account_id in stored_accounts.items()
        if account_id not in allowed and account_id not in unseen
    ]
    if refused:
        raise forbidden(errors=refused)
    taken = _("This source and external ID are already in use.")
    errors += [
        field_error(_loc(index, "external_id"), taken)
        for index, account_id in stored_accounts.items()
        if account_id in unseen
    ]


# --- Writing: the ledger's one write path -------------------------------------------------


def _write(spec: Spec, plans: list[Planned], now: dt.datetime) -> set[int]:
    """Store the rows through ``ledger.upsert`` (per source), then an order's lines; set each
    plan's result and id. Returns the accounts whose aggregates change."""
    table = KeyedTable(spec.model, fields=spec.fields)
    touched: set[int] = set()
    for source, group in _by_source(plans).items():
        done = table.upsert(
            [plan.external_id for plan in group],
            [[plan.values[name] for plan in group] for name in spec.fields],
            scope={"source": source},
            now=now,
        )
        _conflicts_refused(done)
        for plan, outcome in zip(group, done.outcomes, strict=True):
            plan.result, plan.id = outcome, done.ids[plan.external_id]
            if outcome != UNCHANGED:
                touched.add(plan.values["account_id"])
        touched |= table.accounts_left(done.updates)
        if spec.model is Order:
            touched |= _write_lines(source, group, now)
    return touched


def _write_lines(source: str, plans: list[Planned], now: dt.datetime) -> set[int]:
    """The lines of the orders: those no longer sent deleted, the others upserted."""
    order_lines_delete(ids=[pk for plan in plans for pk in plan.lines_deleted])
    keys, rows, owners = [], [], []
    for plan in plans:
        for key, values in plan.line_values:
            keys.append(key)
            rows.append({**values, "order_id": plan.id})
            owners.append(plan)
    table = KeyedTable(OrderLine, fields=LINE_FIELDS)
    done = table.upsert(
        keys,
        [[row[name] for row in rows] for name in LINE_FIELDS],
        scope={"source": source},
        now=now,
        want_ids=False,
    )
    _conflicts_refused(done)
    touched = table.accounts_left(done.updates)
    for plan, outcome in zip(owners, done.outcomes, strict=True):
        if outcome != UNCHANGED:
            plan.result = UPDATED if plan.result == UNCHANGED else plan.result
            touched.add(plan.values["account_id"])
    for plan in plans:
        if plan.lines_deleted:
            plan.result = UPDATED if plan.result == UNCHANGED else plan.result
            touched.add(plan.values["account_id"])
    return touched


def _by_source(plans: list[Planned]) -> dict[str, list[Planned]]:
    groups: dict[str, list[Planned]] = defaultdict(list)
    for plan in plans:
        groups[plan.source].append(plan)
    return groups


def _conflicts_refused(done: Upserted) -> None:
    """A key written by someone else since it was read (the request was checked for repeats):
    the whole request is refused and rolled back."""
    if done.conflicts:
        raise IntegrityError("a key was written concurrently")


def ledger_upsert(*, user: User, kind: str, items: Sequence[Any]) -> UpsertResult:
    """Insert or update the rows; see the module docstring for the rules."""
    require_writer(user)
    spec = SPECS[kind]
    errors: ErrorList = []
    _repeated_keys(items, errors)
    accounts = resolve_accounts(items, errors, user=user)
    refs = spec.resolve(items, accounts, errors, user)
    plans = _plan_rows(spec, items, accounts, refs, errors)
    _check_permission(user, accounts, _stored_accounts(spec.model, items), errors)
    if spec.model is Order:
        _plan_lines(items, plans, errors)
    if errors:
        raise invalid(errors)
    try:
        with transaction.atomic():
            touched = _write(spec, plans, timezone.now())
            if touched:
                aggregates_rebuild(account_ids=touched)
    except IntegrityError as exc:
        message = _("Another request wrote the same rows at the same time; send it again.")
        raise ApiError(409, "conflict", message) from exc
    result = UpsertResult()
    for plan in sorted(plans, key=lambda plan: plan.index):
        setattr(result, plan.result, getattr(result, plan.result) + 1)
        result.items.append(
            ItemResult(plan.index, plan.id, plan.source, plan.external_id, plan.result)
        )
    return result


@transaction.atomic
def ledger_row_delete(*, row: Any) -> None:
    """Delete one row (an order with its lines) and bring its account's aggregates up to
    date. The caller has checked the permission."""
    account_id = row.account_id
    row.delete()
    aggregates_rebuild(account_ids=[account_id])
