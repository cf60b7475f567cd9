"""A fingerprint of the demo's rows: per table, the row count and a hash of the rows in id
order, comparable across runs and backends.

Ids differ between runs (PostgreSQL's sequences do not roll back with a test's transaction,
and other tests advance them), so every primary and foreign key is replaced by the rank of
the id in its table; content types by their natural key. Values are read through the ORM
(Python types alike on SQLite and PostgreSQL) and written in one canonical text form.
Columns drawn from `secrets` (survey link tokens) count only as set or not set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from openkam.demo.services import domain_models
from openkam.team.models import User

# Random by design (secrets.token_urlsafe): only whether they are set is reproducible.
RANDOM_COLUMNS = {"token_hash"}


def _ranks(model: type[models.Model]) -> dict[Any, int]:
    ids = sorted(model._base_manager.values_list("pk", flat=True))
    return {pk: rank for rank, pk in enumerate(ids)}


def _text(field: models.Field[Any, Any], value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        return f"{value:.{places}f}" if places is not None else str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 9))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return repr(value)


def fingerprint() -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of the rows)} for every non-empty OpenKAM table (users aside)."""
    tables: list[type[models.Model]] = [*domain_models(), User]
    ranks: dict[type[models.Model], dict[Any, int]] = {model: _ranks(model) for model in tables}
    content_types = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    found: dict[str, tuple[int, str]] = {}
    for model in domain_models():
        fields = [field for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
        sha = hashlib.sha256()
        count = 0
        original = getattr(model, "instance_type", None)  # a historical model's tracked model
        for row in rows.iterator(chunk_size=2_000):
            values = []
            for field, value in zip(fields, row, strict=True):
                if field.attname in RANDOM_COLUMNS:
                    values.append("set" if value else "-")
                elif field.primary_key:
                    values.append(f"#{ranks[model][value]}")
                elif original is not None and field.attname == "id":
                    values.append(f"#{ranks[original].get(value, value)}")
                elif field.is_relation and field.related_model is ContentType:
                    values.append(content_types.get(value, "-"))
                elif field.is_relation and value is not None:
                    target = ranks.get(field.related_model)  # type: ignore[arg-type]
                    values.append(
                        f"#{target[value]}" if target and value in target else repr(value)
                    )
                else:
                    values.append(_text(field, value))
            sha.update("|".join(values).encode())
            sha.update(b"\n")
            count += 1
        if count:
            found[model._meta.db_table] = (count, sha.hexdigest()[:16])
    return found
