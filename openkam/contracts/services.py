"""Writes to contracts. The account's writers (executive, director, KAM of the account's
team) record, sign, amend, renew and terminate contracts; analysts and viewers read. A draft
is written freely; a signed contract changes only by an amendment that an executive or the
director of the account's team approved. Every write validates before it saves, inside one
transaction; simple-history keeps every version of the contract and its items.

Services raise domain errors (NotFound, PermissionDenied, ValidationError); the pages and the
API turn them into their own answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import DecimalField, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.selectors import descendant_ids, writable_account_for
from openkam.common.errors import ValidationError
from openkam.common.months import add_months
from openkam.contracts.models import (
    MAX_TERM_YEARS,
    Amendment,
    Attachment,
    Contract,
    ContractItem,
    ContractState,
    term_months,
)
from openkam.plans.selectors import may_decide
from openkam.team.models import User

CONTRACT_FIELDS = (
    "kind",
    "number",
    "title",
    "covers_group",
    "signed_on",
    "starts_on",
    "ends_on",
    "notice_days",
    "auto_renew",
    "currency",
    "commitment_period",
    "committed_value",
    "delivery_terms",
    "price_terms",
    "payment_terms",
    "payment_days",
    "quality_terms",
    "breach_liability",
    "dispute_resolution",
    "owner",
)
ITEM_FIELDS = (
    "family",
    "product",
    "specification",
    "quality_terms",
    "unit",
    "unit_price",
    "quantity",
    "amount",
)
MAX_FILE_BYTES = 20 * 1024 * 1024
# What a contract's file may be, told by its first bytes as well as by its name.
FILE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}

Items = Iterable[Mapping[str, Any]]


def _apply(contract: Contract, fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """Set the fields; the changed ones as {name: [before, after]} (as text, for the
    amendment's record)."""
    changed: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name not in CONTRACT_FIELDS:
            raise ValidationError({name: _("This field cannot be set.")})
        before = getattr(contract, name)
        if before != value:
            changed[name] = [_text(before, name), _text(value, name)]
            setattr(contract, name, value)
    contract.notice_by = contract.notice_deadline()
    return changed


def _text(value: Any, name: str = "", model: type[Model] = Contract) -> str:
    """A value as the amendment records it: decimals at their stored places (1200000.00)."""
    if value is None:
        return ""
    field = model._meta.get_field(name) if name else None
    if isinstance(field, DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    return str(value)


def _validated(contract: Contract) -> None:
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        raise ValidationError({"ends_on": _("The contract must end on or after its start.")})
    if (
        contract.starts_on
        and contract.ends_on
        and term_months(contract.starts_on, contract.ends_on) > MAX_TERM_YEARS * 12
    ):
        raise ValidationError(
            {"ends_on": _("A contract runs %(years)s years at most.") % {"years": MAX_TERM_YEARS}}
        )
    if (
        contract.notice_days
        and contract.ends_on
        and contract.starts_on
        and contract.notice_deadline() < contract.starts_on
    ):
        raise ValidationError(
            {"notice_days": _("The notice period is longer than the contract itself.")}
        )
    contract.full_clean(exclude=["notice_by", "covered_accounts"])


def _items(contract: Contract, items: Items) -> list[ContractItem]:
    """Unsaved items built and validated from the input (an empty family and no product is
    refused, as the table's constraint would)."""
    built = []
    for position, data in enumerate(items):
        item = ContractItem(contract=contract, position=position)
        for name in ITEM_FIELDS:
            if name in data:
                setattr(item, name, data[name])
        if item.product_id is not None and not item.family:
            item.family = item.product.family if item.product else ""
        if not item.family and item.product_id is None:
            raise ValidationError(
                {
                    "items": _("Item %(n)s: name a product or a product family.")
                    % {"n": position + 1}
                }
            )
        item.full_clean(exclude=["contract"])
        built.append(item)
    return built


def _item_rows(items: Iterable[ContractItem]) -> list[dict[str, str]]:
    return [
        {name: _text(getattr(item, name), name, ContractItem) for name in ITEM_FIELDS}
        for item in items
    ]


def _replace_items(contract: Contract, items: list[ContractItem]) -> None:
    contract.items.all().delete()
    for item in items:
        item.contract = contract
        item.save()


def contract_coverage_sync(contract: Contract) -> None:
    """The companies whose purchases count: the account, and every company below it when
    the contract covers the group."""
    ids = descendant_ids(contract.account_id) if contract.covers_group else [contract.account_id]
    contract.covered_accounts.set(ids)


def contract_coverage_sync_all() -> None:
    """Group contracts follow the group as it is now (after each refresh)."""
    for contract in Contract.objects.filter(covers_group=True).exclude(
        state=ContractState.TERMINATED
    ):
        contract_coverage_sync(contract)


@transaction.atomic
def contract_create(
    *, user: User, account_id: int, fields: Mapping[str, Any], items: Items = ()
) -> Contract:
    """A draft contract for the account, with its items."""
    account = writable_account_for(user, account_id)
    contract = Contract(account=account)
    _apply(contract, fields)
    contract.owner = contract.owner or account.owner or user
    _validated(contract)
    built = _items(contract, items)
    contract.save()
    _replace_items(contract, built)
    contract_coverage_sync(contract)
    return contract


def _require_writer(user: User, contract: Contract) -> None:
    writable_account_for(user, contract.account_id)


@transaction.atomic
def contract_update(
    *, user: User, contract: Contract, fields: Mapping[str, Any], items: Items | None = None
) -> Contract:
    """Change a draft (a signed contract is amended instead)."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if not contract.is_editable():
        raise ValidationError(_("The contract is signed: record an amendment to change it."))
    _apply(contract, fields)
    _validated(contract)
    built = _items(contract, items) if items is not None else None
    contract.save()
    if built is not None:
        _replace_items(contract, built)
    contract_coverage_sync(contract)
    return contract


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=contract.pk)
    )


@transaction.atomic
def contract_sign(*, user: User, contract: Contract, signed_on: dt.date | None = None) -> Contract:
    """A draft becomes binding: from now on it changes only by amendment."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if contract.state != ContractState.DRAFT:
        raise ValidationError(_("Only a draft can be signed."))
    signed_on = signed_on or contract.signed_on or timezone.localdate()
    if signed_on > contract.ends_on:
        raise ValidationError({"signed_on": _("A contract cannot be signed after its end.")})
    if contract.renews_id is not None:
        predecessor = Contract.objects.select_for_update().get(pk=contract.renews_id)
        if predecessor.state == ContractState.TERMINATED:
            raise ValidationError(_("The contract it renews was terminated."))
    contract.state = ContractState.SIGNED
    contract.signed_on = signed_on
    contract._change_reason = "signed"  # type: ignore[attr-defined]
    contract.save()
    return contract


@transaction.atomic
def contract_terminate(
    *, user: User, contract: Contract, terminated_on: dt.date, reason: str
) -> Contract:
    """End a signed contract early (or before it renews automatically), saying why."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("Only a signed contract can be terminated."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is terminated.")})
    if terminated_on < contract.starts_on:
        raise ValidationError({"terminated_on": _("This is before the contract starts.")})
    contract.state = ContractState.TERMINATED
    contract.terminated_on = terminated_on
    contract.termination_reason = reason.strip()
    contract._change_reason = "terminated"  # type: ignore[attr-defined]
    contract.save()
    return contract


@transaction.atomic
def contract_renew(*, user: User, contract: Contract, number: str) -> Contract:
    """The next contract as a draft: the same terms and items for a term of the same length
    starting the day after this one ends. Once it is signed, this one reads "renewed"."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("Only a signed contract can be renewed."))
    if Contract.objects.filter(renews=contract).exists():
        raise ValidationError(_("This contract already has a renewal."))
    length = contract.ends_on - contract.starts_on
    if dt.date.max - contract.ends_on <= length + dt.timedelta(days=1):
        raise ValidationError(_("The next term would end after the calendar does."))
    starts_on = contract.ends_on + dt.timedelta(days=1)
    fields = {name: getattr(contract, name) for name in CONTRACT_FIELDS}
    fields.update(number=number, signed_on=None, starts_on=starts_on, ends_on=starts_on + length)
    successor = Contract(account=contract.account, renews=contract)
    _apply(successor, fields)
    _validated(successor)
    items = [{name: getattr(item, name) for name in ITEM_FIELDS} for item in contract.items.all()]
    built = _items(successor, items)
    successor.save()
    _replace_items(successor, built)
    contract_coverage_sync(successor)
    return successor


# The versions' reasons of an automatic renewal (contracts_ui.VERSION_REASONS names them).
RENEWED_AUTOMATICALLY = "renewed_automatically"
AUTOMATIC_RENEWAL = "automatic_renewal"
# Terms one run rolls over at most (a contract left for years catches up over a few runs).
MAX_ROLLS = 120


def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    month = add_months(day, months)
    return month.replace(day=min(day.day, calendar.monthrange(month.year, month.month)[1]))


def next_term(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.date, dt.date]:
    """The term after this one, of the same length, from the day after its end: as many
    calendar months when the term is whole months (2024-03-01 to 2025-02-28 is followed by
    2025-03-01 to 2026-02-28, leap years or not), else as many days. OverflowError past the
    calendar's end."""
    starts = ends_on + dt.timedelta(days=1)
    months = (starts.year - starts_on.year) * 12 + starts.month - starts_on.month
    if months > 0 and _months_later(starts_on, months) == starts:
        return starts, _months_later(starts, months) - dt.timedelta(days=1)
    return starts, starts + (ends_on - starts_on)


def _renewal_number(contract: Contract) -> str:
    """HT-1 renews automatically as HT-1-R1, that one as HT-1-R2, ... (the first free one)."""
    found = re.fullmatch(r"(.+)-R(\d+)", contract.number) if contract.renews_id else None
    base, n = (found.group(1), int(found.group(2)) + 1) if found else (contract.number, 1)
    while True:
        suffix = f"-R{n}"
        number = base[: 60 - len(suffix)] + suffix
        if not Contract.objects.filter(number=number).exists():
            return number
        n += 1


@transaction.atomic
def _roll_over(pk: int, as_of: dt.date) -> Contract | None:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(pk=pk, state=ContractState.SIGNED, auto_renew=True, ends_on__lt=as_of)
        .first()
    )
    if contract is None or Contract.objects.filter(renews=contract).exists():
        return None
    try:
        starts_on, ends_on = next_term(contract.starts_on, contract.ends_on)
    except OverflowError:
        return None
    fields = {name: getattr(contract, name) for name in CONTRACT_FIELDS}
    fields.update(number=_renewal_number(contract), starts_on=starts_on, ends_on=ends_on)
    successor = Contract(account=contract.account, renews=contract, state=ContractState.SIGNED)
    _apply(successor, fields)
    try:
        _validated(successor)
    except ValidationError:
        return None  # e.g. the next term would run past the calendar's bounds
    items = [{name: getattr(item, name) for name in ITEM_FIELDS} for item in contract.items.all()]
    built = _items(successor, items)
    successor._change_reason = AUTOMATIC_RENEWAL  # type: ignore[attr-defined]
    successor.save()
    _replace_items(successor, built)
    contract_coverage_sync(successor)
    contract._change_reason = RENEWED_AUTOMATICALLY  # type: ignore[attr-defined]
    contract.save()
    return successor


def contracts_roll_over(*, as_of: dt.date) -> list[Contract]:
    """Automatic renewal: every signed contract that renews automatically, whose end has
    passed by `as_of` and that was neither terminated nor renewed (a renewal drafted by hand
    is left to the people writing it), is followed by a signed contract of the same terms and
    items for the next term of the same length (`next_term`), numbered after it (HT-1-R1).
    The old one reads "renewed" from then on; the versions of both say it renewed
    automatically. A new term that has itself already ended rolls over again. Run after every
    refresh and by `openkam contracts-renew`; the new contracts, oldest first."""
    made: list[Contract] = []
    for _round in range(MAX_ROLLS):
        due = list(
            Contract.objects.filter(
                state=ContractState.SIGNED,
                auto_renew=True,
                ends_on__lt=as_of,
                renewed_by__isnull=True,
            )
            .order_by("ends_on", "pk")
            .values_list("pk", flat=True)
        )
        rolled = [new for pk in due if (new := _roll_over(pk, as_of)) is not None]
        if not rolled:
            break
        made.extend(rolled)
    return made


@transaction.atomic
def contract_amend(
    *,
    user: User,
    contract: Contract,
    fields: Mapping[str, Any],
    items: Items | None,
    summary: str,
    reason: str,
    approved_by: User,
    effective_on: dt.date,
) -> Amendment:
    """Change a signed contract: the changes, why, who approved (an executive or the director
    of the account's team) and from when; the contract's history keeps the version before."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("Only a signed contract is amended; a draft is edited."))
    if not may_decide(approved_by, contract.account):
        raise ValidationError(
            {"approved_by": _("An executive or the director of the account's team approves.")}
        )
    if not summary.strip() or not reason.strip():
        raise ValidationError({"summary": _("Say what changes and why.")})
    if "state" in fields:
        raise ValidationError({"state": _("This field cannot be set.")})
    before_items = _item_rows(contract.items.all())
    changes: dict[str, Any] = _apply(contract, fields)
    _validated(contract)
    built = _items(contract, items) if items is not None else None
    if built is not None and _item_rows(built) != before_items:
        changes["items"] = [before_items, _item_rows(built)]
    if not changes:
        raise ValidationError(_("The amendment changes nothing."))
    contract._change_reason = summary.strip()[:100]  # type: ignore[attr-defined]
    contract.save()
    if built is not None:
        _replace_items(contract, built)
    contract_coverage_sync(contract)
    sequence = (contract.amendments.aggregate(last=Max("sequence"))["last"] or 0) + 1
    return Amendment.objects.create(
        contract=contract,
        sequence=sequence,
        summary=summary.strip(),
        reason=reason.strip(),
        approved_by=approved_by,
        effective_on=effective_on,
        changes=changes,
        recorded_by=user,
    )


@transaction.atomic
def contract_delete(*, user: User, contract: Contract) -> None:
    """A draft may be thrown away; a signed contract is terminated, never deleted."""
    _require_writer(user, contract)
    contract = _locked(contract)
    if contract.state != ContractState.DRAFT:
        raise ValidationError(_("Only a draft can be deleted; terminate a signed contract."))
    contract.delete()


def _file_type(upload: UploadedFile) -> str:
    """The file's content type when its name and first bytes agree on an allowed type."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    allowed = FILE_TYPES.get(suffix)
    if allowed is None:
        raise ValidationError(
            {"file": _("Send a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) file.")}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type, magics = allowed
    if not any(head.startswith(magic) for magic in magics):
        raise ValidationError({"file": _("The file's content does not match its name.")})
    return content_type


@transaction.atomic
def attachment_add(
    *, user: User, contract: Contract, upload: UploadedFile, kind: str
) -> Attachment:
    """Store a file of the contract under the var folder (never under a public URL)."""
    _require_writer(user, contract)
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("Files up to 20 MB are accepted.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = _file_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        contract=contract,
        kind=kind,
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(
        f"{contract.pk}-{digest.hexdigest()[:16]}{name[name.rfind('.') :]}", upload, save=False
    )
    attachment.save()
    return attachment
