"""Domain errors: what a service or selector raises when it refuses, with no HTTP in it.

A service says *why* it refuses; each edge (pages: `openkam.web.errors`, API:
`openkam.api.errors`) decides how that reads to its client. So a page and an API route that
call the same service refuse the same input with the same sentence.

- `NotFound`: the row does not exist, or exists but the user may not see it (the two read
  alike, so a refusal never tells another team's account exists).
- `django.core.exceptions.PermissionDenied`: the user sees the row but may not do this to it.
- `django.core.exceptions.ValidationError`: the input breaks a business rule; its
  `message_dict` names the fields when it has them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["NotFound", "PermissionDenied", "ValidationError"]


class NotFound(Exception):
    """The thing asked for is not there for this user (absent or invisible alike)."""
