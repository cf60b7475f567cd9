"""Reads of the imports app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.imports.models import AccountMatch, AccountMerge, ImportRun
from openkam.team.models import User


def import_permitted(user: User) -> bool:
    """Imports and merges write across every account: only who sees every account may."""
    return bool(user.is_authenticated and user.is_active and user.sees_all_accounts)


def runs_listed(*, kind: str = "", status: str = "", query: str = "") -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("user")
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=status)
    if query:
        runs = runs.filter(file_name__icontains=query) | runs.filter(source__icontains=query)
    return runs.order_by("-started_at", "-id")


def matches_pending(*, query: str = "") -> QuerySet[AccountMatch]:
    matches = AccountMatch.objects.filter(status=AccountMatch.Status.PENDING)
    if query:
        matches = matches.filter(name__icontains=query) | matches.filter(
            account__legal_name__icontains=query
        )
    return matches.select_related("account").order_by("-rows_waiting", "-score", "id")


def merges_recent() -> QuerySet[AccountMerge]:
    return AccountMerge.objects.select_related("kept", "merged_by", "undone_by").order_by(
        "-merged_at", "-id"
    )


def duplicate_reason_labels() -> dict[str, Promise]:
    return {
        "credit_code": _("same organisation code in the credit code"),
        "name": _("similar name"),
        "phone": _("same phone"),
        "address": _("same address"),
    }
