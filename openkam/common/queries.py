"""Query expressions every app's lists use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When


def choice_rank(field: str, values: Iterable[str]) -> Case:
    """Sort by the order of a TextChoices (tiers, stages), not by the stored code."""
    whens = [When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)]
    return Case(*whens, default=Value(99), output_field=IntegerField())


def keyed_page(rows: QuerySet[Any], number: Any, per_page: int) -> Page[Any]:
    """A page of `rows` in three queries (count, the page's keys, its rows) instead of two:
    the database sorts and skips over the keys alone, and computes the rows' other columns
    (correlated subqueries: latest figures, revenue) for the page only, not for every row it
    sorts (tens of thousands on a KAM's account list). The page holds the rows in order."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    keys = list(page.object_list)
    found = {row.pk: row for row in rows.order_by().filter(pk__in=keys)}
    page.object_list = [found[key] for key in keys if key in found]
    return page
