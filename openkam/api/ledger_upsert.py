"""Bulk upsert of ledger rows by (source, external_id): orders with their lines, invoices,
payments and costs to serve.

One request is one transaction: every item is resolved and validated first, and a single
unknown reference, invalid value or account the user may not change refuses the whole request
with errors naming the item (`loc: ["items", 3, "amount"]`); nothing is saved. Sending the same
rows again changes nothing and reports them `unchanged`. A fixed number of queries per request
(references and existing rows are read in bulk), then bulk writes, then the per-account
aggregates of the touched accounts are rebuilt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.api.common import model_errors
from openkam.api.errors import ApiError, field_error, forbidden, invalid
from openkam.api.permissions import require_writer, writable_account_ids
from openkam.ledger.lines import line_key, lines_derive
from openkam.ledger.models import CostToServe, Invoice, Order, OrderLine, Payment, Product
from openkam.ledger.services import aggregates_rebuild
from openkam.team.models import User

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"
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
    """What one item will do: its row (new or existing, values set), and for orders the lines
    to write and to delete."""

    index: int
    row: Any
    result: str
    old_account_id: int | None = None
    lines_new: list[OrderLine] = field(default_factory=list)
    lines_changed: list[OrderLine] = field(default_factory=list)
    lines_deleted: list[int] = field(default_factory=list)


def no_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList
) -> dict[int, dict[str, Any]]:
    return {}


@dataclass(frozen=True)
class Spec:
    model: type[models.Model]
    # Values copied as sent (the schema field has the model field's name).
    fields: tuple[str, ...]
    # Foreign keys resolved here, left out of full_clean() so it does not query per row.
    foreign_keys: tuple[str, ...] = ("account",)
    resolve: Callable[[Sequence[Any], list[int | None], ErrorList], dict[int, dict[str, Any]]] = (
        no_refs
    )


def _loc(index: int, *rest: str | int) -> list[str | int]:
    return ["items", index, *rest]


# --- References ---------------------------------------------------------------------------


def resolve_accounts(items: Sequence[Any], errors: ErrorList) -> list[int | None]:
    """The account of every item, from account_id or account_credit_code (two queries at
    most); unknown ones become field errors."""
    ids = {item.account_id for item in items if item.account_id is not None}
    codes = {item.account_credit_code for item in items if item.account_credit_code}
    known_ids = (
        set(Account.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    )
    by_code = (
        dict(Account.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
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
    model: type[models.Model],
    attribute: str,
    target: str,
) -> dict[int, dict[str, Any]]:
    """Invoices name their order, payments their invoice, by external ID in the same source;
    the row must be of the same account."""
    wanted = {(item.source, getattr(item, attribute)) for item in items if getattr(item, attribute)}
    found = _by_external_id(model, wanted)
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


def _invoice_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList
) -> dict[int, dict[str, Any]]:
    return _parent_refs(
        items, accounts, errors, model=Order, attribute="order_external_id", target="order_id"
    )


def _payment_refs(
    items: Sequence[Any], accounts: list[int | None], errors: ErrorList
) -> dict[int, dict[str, Any]]:
    return _parent_refs(
        items, accounts, errors, model=Invoice, attribute="invoice_external_id", target="invoice_id"
    )


SPECS = {
    "order": Spec(Order, ("order_no", "order_date", "status", "currency")),
    "invoice": Spec(
        Invoice,
        ("invoice_no", "invoice_date", "due_date", "amount", "currency"),
        ("account", "order"),
        _invoice_refs,
    ),
    "payment": Spec(
        Payment,
        ("payment_date", "amount", "currency", "reference"),
        ("account", "invoice"),
        _payment_refs,
    ),
    "cost_to_serve": Spec(CostToServe, ("year", "kind", "category", "amount", "currency", "note")),
}


# --- Planning -----------------------------------------------------------------------------


def _values(spec: Spec, item: Any, account_id: int, refs: dict[str, Any]) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in spec.fields}
    if values.get("currency") is None:
        values.pop("currency", None)  # the model's default (the company currency)
    return {**values, "account_id": account_id, **refs}


def _set(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _plan_rows(
    spec: Spec,
    items: Sequence[Any],
    accounts: list[int | None],
    refs: dict[int, dict[str, Any]],
    existing: dict[tuple[str, str], Any],
    errors: ErrorList,
) -> list[Planned]:
    plans = []
    for index, item in enumerate(items):
        account_id = accounts[index]
        if account_id is None or (spec.resolve is not no_refs and index not in refs):
            continue  # its error is already listed
        row = existing.get((item.source, item.external_id))
        values = _values(spec, item, account_id, refs.get(index, {}))
        if row is None:
            row = spec.model(source=item.source, external_id=item.external_id)
            _set(row, values)
            plan = Planned(index, row, INSERTED)
        else:
            old_account = row.account_id
            plan = Planned(index, row, UPDATED if _set(row, values) else UNCHANGED, old_account)
        errors += model_errors(row, prefix=_loc(index), exclude=list(spec.foreign_keys))
        plans.append(plan)
    return plans


def _line_values(line: Any, product: Product, order: Order) -> dict[str, Any]:
    """The line's row values, derived as a file import derives them (``ledger.lines``)."""
    derived = lines_derive(
        quantity=[line.quantity],
        unit_price=[line.unit_price],
        amount=[line.amount],
        unit_cost=[line.unit_cost],
        cost=[line.cost],
        standard_cost=[product.standard_cost],
        currency=[order.currency],
    )
    return {
        "account_id": order.account_id,
        "product_id": product.pk,
        "source": order.source,
        "external_id": _line_key(order, line),
        "quantity": line.quantity,
        "unit_price": derived.unit_price[0],
        "unit_cost": derived.unit_cost[0],
        "amount": derived.amount[0],
        "cost": derived.cost[0],
        "currency": order.currency,
        "promised_date": line.promised_date,
        "delivered_date": line.delivered_date,
        "delivered_quantity": line.delivered_quantity,
    }


def _line_key(order: Any, line: Any) -> str:
    """The line's external ID: as sent, else its order's and its line number (as an import
    keys a line of a file without line IDs)."""
    return line_key(order.external_id, line.line_no, line.external_id)


def _plan_lines(items: Sequence[Any], plans: list[Planned], errors: ErrorList) -> None:
    """The lines of each order, matched by line number: a line sent is inserted or updated,
    a stored line not sent is deleted (the order as sent is the whole order)."""
    skus = {line.product_sku for item in items for line in item.lines}
    products = {product.sku: product for product in Product.objects.filter(sku__in=skus)}
    stored, claimed = _stored_lines(items, plans)
    for plan in plans:
        item = items[plan.index]
        order_lines = stored.get(plan.row.pk, {}) if plan.row.pk else {}
        seen: set[int] = set()
        for number, line in enumerate(item.lines):
            loc = _loc(plan.index, "lines", number)
            if line.line_no in seen:
                errors.append(field_error([*loc, "line_no"], _("This line number is repeated.")))
                continue
            seen.add(line.line_no)
            product = products.get(line.product_sku)
            if product is None:
                errors.append(field_error([*loc, "product_sku"], _("No product with this SKU.")))
                continue
            if line.unit_price is None and line.amount is None:
                message = _("Give unit_price or amount.")
                errors.append(field_error([*loc, "unit_price"], message))
                continue
            owner = claimed.get((item.source, _line_key(item, line)))
            if owner is not None and owner != plan.row.pk:
                message = _("This external ID belongs to a line of another order.")
                errors.append(field_error([*loc, "external_id"], message))
                continue
            values = _line_values(line, product, plan.row)
            target = order_lines.get(line.line_no)
            if target is None:
                target = OrderLine(line_no=line.line_no)
                _set(target, values)
                plan.lines_new.append(target)
            elif _set(target, values):
                plan.lines_changed.append(target)
            # The currency is the order's, checked there.
            exclude = ["order", "account", "product", "currency"]
            errors += model_errors(target, prefix=loc, exclude=exclude)
        plan.lines_deleted = [pk.pk for no, pk in order_lines.items() if no not in seen]
        if plan.result == UNCHANGED and (
            plan.lines_new or plan.lines_changed or plan.lines_deleted
        ):
            plan.result = UPDATED


def _stored_lines(
    items: Sequence[Any], plans: list[Planned]
) -> tuple[dict[int, dict[int, OrderLine]], dict[tuple[str, str], int]]:
    """In one query: the stored lines of the orders sent (order -> line number -> line), and
    which stored order owns each line external ID the request uses."""
    stored_ids = [plan.row.pk for plan in plans if plan.row.pk is not None]
    keys: dict[str, list[str]] = defaultdict(list)
    for item in items:
        keys[item.source] += [_line_key(item, line) for line in item.lines]
    condition = Q(order_id__in=stored_ids)
    for source, external_ids in keys.items():
        condition |= Q(source=source, external_id__in=external_ids)
    stored: dict[int, dict[int, OrderLine]] = defaultdict(dict)
    claimed: dict[tuple[str, str], int] = {}
    for line in OrderLine.objects.filter(condition):
        if line.order_id in stored_ids:
            stored[line.order_id][line.line_no] = line
        if line.external_id:
            claimed[(line.source, line.external_id)] = line.order_id
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


def _check_permission(user: User, plans: list[Planned], accounts: list[int | None]) -> None:
    """Every account written to, and every account a row is moved away from, must be one
    the user may change."""
    wanted = {a for a in accounts if a is not None} | {
        plan.old_account_id for plan in plans if plan.old_account_id is not None
    }
    allowed = writable_account_ids(user, wanted)
    message = _("You may not change data of this account.")
    refused = [
        field_error(_loc(index, "account_id"), message)
        for index, account_id in enumerate(accounts)
        if account_id is not None and account_id not in allowed
    ] + [
        field_error(_loc(plan.index, "external_id"), message)
        for plan in plans
        if plan.old_account_id is not None and plan.old_account_id not in allowed
    ]
    if refused:
        raise forbidden(errors=refused)


# --- Writing ------------------------------------------------------------------------------


def _write(spec: Spec, plans: list[Planned]) -> None:
    manager: Any = spec.model._default_manager
    new_rows = [plan.row for plan in plans if plan.result == INSERTED]
    changed = [plan.row for plan in plans if plan.result == UPDATED]
    manager.bulk_create(new_rows, batch_size=500)
    if changed:
        names = ["account_id", *spec.fields, *(f"{fk}_id" for fk in spec.foreign_keys[1:])]
        manager.bulk_update(changed, sorted(set(names)), batch_size=500)
    if spec.model is not Order:
        return
    deleted = [pk for plan in plans for pk in plan.lines_deleted]
    OrderLine.objects.filter(pk__in=deleted).delete()
    new_lines = []
    for plan in plans:
        for line in plan.lines_new:
            line.order_id = plan.row.pk
            new_lines.append(line)
    changed_lines = [line for plan in plans for line in plan.lines_changed]
    if changed_lines:
        OrderLine.objects.bulk_update(
            changed_lines,
            [
                "account_id",
                "product_id",
                "source",
                "external_id",
                "quantity",
                "unit_price",
                "unit_cost",
                "amount",
                "cost",
                "currency",
                "promised_date",
                "delivered_date",
                "delivered_quantity",
            ],
            batch_size=500,
        )
    OrderLine.objects.bulk_create(new_lines, batch_size=1000)


def ledger_upsert(*, user: User, kind: str, items: Sequence[Any]) -> UpsertResult:
    """Insert or update the rows; see the module docstring for the rules."""
    require_writer(user)
    spec = SPECS[kind]
    errors: ErrorList = []
    _repeated_keys(items, errors)
    accounts = resolve_accounts(items, errors)
    refs = spec.resolve(items, accounts, errors)
    existing = _by_external_id(spec.model, {(item.source, item.external_id) for item in items})
    plans = _plan_rows(spec, items, accounts, refs, existing, errors)
    _check_permission(user, plans, accounts)
    if spec.model is Order:
        _plan_lines(items, plans, errors)
    if errors:
        raise invalid(errors)
    try:
        with transaction.atomic():
            _write(spec, plans)
            touched = {plan.row.account_id for plan in plans if plan.result != UNCHANGED} | {
                plan.old_account_id
                for plan in plans
                if plan.result == UPDATED and plan.old_account_id is not None
            }
            if touched:
                aggregates_rebuild(account_ids=touched)
    except IntegrityError as exc:
        message = _("Another request wrote the same rows at the same time; send it again.")
        raise ApiError(409, "conflict", message) from exc
    result = UpsertResult()
    for plan in sorted(plans, key=lambda plan: plan.index):
        setattr(result, plan.result, getattr(result, plan.result) + 1)
        result.items.append(
            ItemResult(plan.index, plan.row.pk, plan.row.source, plan.row.external_id, plan.result)
        )
    return result


@transaction.atomic
def ledger_row_delete(*, row: Any) -> None:
    """Delete one row (an order with its lines) and bring its account's aggregates up to
    date. The caller has checked the permission."""
    account_id = row.account_id
    row.delete()
    aggregates_rebuild(account_ids=[account_id])
