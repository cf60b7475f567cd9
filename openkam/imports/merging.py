"""Duplicate accounts: find the likely pairs, merge one into the other with everything that points
to it, and undo a merge.

A merge moves every row of every model that refers to the dropped account (found through the
model registry, so the apps added later are covered without a change here) to the kept one.
A row that cannot move because the kept account has its twin (a unique constraint: the same
financial year, the same competitor ...) is set aside: stored in the merge record, then deleted.
The dropped account is stored the same way, then deleted (its history records the deletion).
Undo re-creates it with its id, moves the rows back and restores what was set aside.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from rapidfuzz import fuzz, process
from simple_history.models import HistoricalChanges

from openkam.accounts.models import Account
from openkam.imports.models import AccountMerge
from openkam.imports.parsing import CellError, basic_name, normalise_name, parse_credit_code
from openkam.ledger.models import AccountMonth, AccountPurchaseDay
from openkam.ledger.services import aggregates_rebuild
from openkam.team.models import User

DERIVED = (AccountMonth, AccountPurchaseDay)  # rebuilt from the ledger, never moved
FILLABLE = ("short_name", "credit_code", "province", "city", "address", "phone", "website")
NAME_CUTOFF = 85


class MergeError(ValueError):
    pass


def account_references() -> Iterator[tuple[type[models.Model], models.ForeignKey[Any, Any]]]:
    """Every (model, foreign key) pointing to Account, historical tables and aggregates aside."""
    for model in apps.get_models(include_auto_created=True):
        if issubclass(model, HistoricalChanges) or model in DERIVED:
            continue
        for fk in model._meta.concrete_fields:
            if isinstance(fk, models.ForeignKey) and fk.related_model is Account:
                yield model, fk


def _unique_sets(model: type[models.Model], fk_name: str) -> list[list[str]]:
    """The other fields of each uniqueness rule that includes the foreign key."""
    sets: list[list[str]] = []
    opts = model._meta
    rules = [list(c.fields) for c in opts.constraints if isinstance(c, models.UniqueConstraint)]
    rules += [list(group) for group in opts.unique_together]
    rules += [[f.name] for f in opts.concrete_fields if f.unique and not f.primary_key]
    for rule in rules:
        if fk_name in rule:
            sets.append([name for name in rule if name != fk_name])
    return sets


def _conflicts(
    model: type[models.Model], fk: models.ForeignKey[Any, Any], keep: Account, drop: Account
) -> list[int]:
    ids: set[int] = set()
    manager = model._default_manager
    for others in _unique_sets(model, fk.name):
        # A one-to-one (no other fields): any row of the kept account blocks.
        kept = {tuple(v) for v in manager.filter(**{fk.name: keep}).values_list("pk", *others)}
        kept_values = {v[1:] for v in kept}
        for pk, *values in manager.filter(**{fk.name: drop}).values_list("pk", *others):
            if kept and tuple(values) in kept_values:
                ids.add(pk)
    return sorted(ids)


@transaction.atomic
def account_merge(*, keep: Account, drop: Account, user: User | None) -> AccountMerge:
    """Merge `drop` into `keep`; returns the record that can undo it."""
    if keep.pk == drop.pk:
        raise MergeError("an account cannot be merged into itself")
    keep = Account.objects.select_for_update().get(pk=keep.pk)
    drop = Account.objects.select_for_update().get(pk=drop.pk)
    moved: dict[str, dict[str, list[int]]] = defaultdict(dict)
    set_aside: list[dict[str, Any]] = []
    for model, fk in account_references():
        manager = model._default_manager
        aside = _conflicts(model, fk, keep, drop)
        if aside:
            set_aside.extend(serializers.serialize("python", manager.filter(pk__in=aside)))
            manager.filter(pk__in=aside).delete()
        rows = manager.filter(**{fk.name: drop})
        if model is Account:
            rows = rows.exclude(pk=keep.pk)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        moved[model._meta.label][fk.name] = ids
        _move(model, fk, ids, drop.pk, keep.pk, user)
    keep.refresh_from_db()
    previous = {"parent_id": keep.parent_id} if keep.parent_id == drop.pk else {}
    if previous:
        keep.parent_id = drop.parent_id if drop.parent_id != keep.pk else None
    filled = {name: "" for name in FILLABLE if not getattr(keep, name) and getattr(drop, name)}
    dropped_row = serializers.serialize("python", [drop])[0]
    drop_values = {name: getattr(drop, name) for name in filled}
    drop._history_user = user  # type: ignore[attr-defined]
    drop.delete()
    for name, value in drop_values.items():
        setattr(keep, name, value)
    if filled or previous:
        keep._history_user = user  # type: ignore[attr-defined]
        keep._change_reason = f"merged account {drop.pk}"  # type: ignore[attr-defined]
        keep.save()
    aggregates_rebuild(account_ids=[keep.pk])
    return AccountMerge.objects.create(
        kept=keep,
        dropped_id=dropped_row["pk"],
        dropped_name=dropped_row["fields"]["legal_name"][:200],
        moved=dict(moved),
        set_aside=_jsonable(set_aside),
        dropped_row=_jsonable({"row": dropped_row, "filled": filled, "kept": previous}),
        merged_by=user,
    )


def _move(
    model: type[models.Model],
    fk: models.ForeignKey[Any, Any],
    ids: list[int],
    source: int,
    target: int,
    user: User | None,
) -> None:
    """Point the rows at the target account; rows that keep a history get their record."""
    manager = model._default_manager
    if hasattr(model, "history") and model is not Account:
        for instance in manager.filter(pk__in=ids, **{fk.attname: source}):
            setattr(instance, fk.attname, target)
            instance._history_user = user  # type: ignore[attr-defined]
            instance.save(update_fields=[fk.attname])
    else:
        for start in range(0, len(ids), 900):
            manager.filter(pk__in=ids[start : start + 900], **{fk.attname: source}).update(
                **{fk.attname: target}
            )


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps milliseconds only: an undo must give back the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


def _jsonable(value: Any) -> Any:
    """Serialised rows as JSON-ready values (dates and decimals as text, as loaddata reads)."""
    return json.loads(json.dumps(value, cls=_ExactEncoder))


@transaction.atomic
def account_merge_undo(*, merge: AccountMerge, user: User | None) -> Account:
    """Re-create the dropped account, move its rows back and restore the set-aside rows."""
    merge = AccountMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeError("this merge is undone already")
    if Account.objects.filter(pk=merge.dropped_id).exists():
        raise MergeError("an account with the dropped account's id exists")
    keep = Account.objects.select_for_update().get(pk=merge.kept_id)
    keep._history_user = user  # type: ignore[attr-defined]
    if merge.dropped_row["filled"]:  # free the credit code before the dropped account needs it
        for name, value in merge.dropped_row["filled"].items():
            setattr(keep, name, value)
        keep.save()
    (restored,) = serializers.deserialize("python", [merge.dropped_row["row"]])
    restored.object._history_user = user  # type: ignore[attr-defined]
    restored.object.save(force_insert=True)
    # auto_now_add stamped the re-created row; it was created when it first was.
    created_at = merge.dropped_row["row"]["fields"]["created_at"]
    Account.objects.filter(pk=merge.dropped_id).update(created_at=created_at)
    if merge.dropped_row["kept"]:
        for name, value in merge.dropped_row["kept"].items():
            setattr(keep, name, value)
        keep.save()
    for label, fields in merge.moved.items():
        model = apps.get_model(label)
        for name, ids in fields.items():
            fk = model._meta.get_field(name)
            assert isinstance(fk, models.ForeignKey)
            _move(model, fk, ids, keep.pk, merge.dropped_id, user)
    for item in serializers.deserialize("python", merge.set_aside):
        item.save()
    aggregates_rebuild(account_ids=[keep.pk, merge.dropped_id])
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    return Account.objects.get(pk=merge.dropped_id)


# --- finding duplicates ------------------------------------------------------------------------


@dataclass
class DuplicatePair:
    first: Account
    second: Account
    score: int
    reasons: list[str] = field(default_factory=list)


_DIGITS = re.compile(r"\D+")


def _same_group(a: Account, b: Account) -> bool:
    """A parent and its subsidiary, or two subsidiaries of one parent, are named alike on
    purpose (北京亚利电梯科技 under 亚利电梯科技集团): distinct companies, not duplicates."""
    return (
        a.parent_id == b.pk
        or b.parent_id == a.pk
        or (a.parent_id is not None and a.parent_id == b.parent_id)
    )


def account_duplicates(accounts: list[Account]) -> list[DuplicatePair]:
    """Likely duplicates among the accounts, most likely first: the same organisation code inside
    the credit code, names alike once legal forms are dropped (rapidfuzz), the same phone or
    address. A pair of two valid, different credit codes comes last, that reason against it
    among its reasons (DISTINCT_CODES)."""
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    by_id = {a.pk: a for a in accounts}

    def add(a: int, b: int, reason: str, score: int) -> None:
        if a == b:
            return
        first, second = sorted((a, b))
        pair = pairs.setdefault((first, second), DuplicatePair(by_id[first], by_id[second], 0, []))
        if reason not in pair.reasons:
            pair.reasons.append(reason)
        pair.score = max(pair.score, score)

    for reason, key, score in (
        ("credit_code", lambda a: a.credit_code[8:17] if len(a.credit_code) == 18 else "", 100),
        ("phone", lambda a: p if len(p := _DIGITS.sub("", a.phone)) >= 7 else "", 80),
        ("address", lambda a: basic_name(a.address) if len(a.address) >= 6 else "", 80),
    ):
        groups: dict[str, list[int]] = defaultdict(list)
        for account in accounts:
            value = key(account)
            if value:
                groups[value].append(account.pk)
        for members in groups.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    add(a, b, reason, score)
    names = [normalise_name(a.legal_name) for a in accounts]
    for index, name in enumerate(names):
        if not name:
            continue
        for _match, similarity, other in process.extract(
            name, names, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=6
        ):
            if other != index and not _same_group(accounts[index], accounts[other]):
                add(accounts[index].pk, accounts[other].pk, "name", round(similarity))
    for pair in pairs.values():
        if _distinct_organisations(pair):
            pair.reasons.append(DISTINCT_CODES)
    return sorted(
        pairs.values(),
        key=lambda p: (DISTINCT_CODES in p.reasons, -p.score, -len(p.reasons), p.first.pk),
    )


# A pair's reason against: two valid, different credit codes (shown, the pair ranked last).
DISTINCT_CODES = "distinct_credit_codes"


def _distinct_organisations(pair: DuplicatePair) -> bool:
    """Two valid, different credit codes are two organisations (a group's companies share
    names, phones and addresses), unless their organisation codes agree."""
    first, second = pair.first.credit_code, pair.second.credit_code
    if not first or not second or first == second or "credit_code" in pair.reasons:
        return False
    try:
        return parse_credit_code(first) != parse_credit_code(second)
    except CellError:  # a code that is not valid says nothing against the pair
        return False
