"""Domain errors: what a service or selector raises when it refuses, with no HTTP in it.

A service says *why* it refuses; each edge (pages: `openkam.web.errors`, API:
`openkam.api.errors`) decides how that reads to its client. So a page and an API route that
call the same service refuse the same input with the same sentence.

- `NotFound`: the row does not exist, or exists but the user may not see it (the two read
  alike, so a refusal never tells another team's account exists).
- `django.core.exceptions.PermissionDenied`: the user sees the row but may not do this to it.
  `FieldPermissionDenied` is one that names the input field asking for what is refused (the
  team an account would move to), so the API can point at it.
- `django.core.exceptions.ValidationError`: the input breaks a business rule; its
  `message_dict` names the fields when it has them.
- `Conflict`: the input is valid but the stored state forbids it (an account that still has
  subsidiaries or ledger rows cannot be deleted).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["Conflict", "FieldPermissionDenied", "NotFound", "PermissionDenied", "ValidationError"]


class NotFound(Exception):
    """The thing asked for is not there for this user (absent or invisible alike)."""


class FieldPermissionDenied(PermissionDenied):
    """A refusal caused by one field of the input; `message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Conflict(Exception):
    """The request is valid, but what is stored forbids it now."""
