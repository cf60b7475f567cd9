"""Who takes part in the portfolio's governance (DOMAIN §2.2: "marketing proposes the
classification every year, the general manager approves it"): analysts (marketing) prepare
the yearly tier review and the company's settings, executives (the general manager) decide.
Both see every account, so the review's pages are theirs alone; the other roles see the
outcome on their accounts (the tier and its history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from openkam.team.models import Role, User


def may_prepare(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == Role.ANALYST))


def may_decide(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == Role.EXECUTIVE))


def may_read(user: User) -> bool:
    return may_prepare(user) or may_decide(user)


def may_change_settings(user: User) -> bool:
    return may_read(user)


def require_read(user: User) -> None:
    if not may_read(user):
        raise PermissionDenied(_("Only analysts and executives take part in the tier review."))


def require_prepare(user: User) -> None:
    if not may_prepare(user):
        raise PermissionDenied(_("Only analysts (marketing) prepare the tier review."))


def require_decide(user: User) -> None:
    if not may_decide(user):
        raise PermissionDenied(_("Only executives (the general manager) decide tier proposals."))
