"""Query expressions every app's lists use."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Value, When


def choice_rank(field: str, values: Iterable[str]) -> Case:
    """Sort by the order of a TextChoices (tiers, stages), not by the stored code."""
    whens = [When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)]
    return Case(*whens, default=Value(99), output_field=IntegerField())
