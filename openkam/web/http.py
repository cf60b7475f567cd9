"""Request types for views behind login_required, so mypy knows who is asking."""

from __future__ import annotations

from django.http import HttpRequest

from openkam.team.models import User


class AuthenticatedRequest(HttpRequest):
    user: User


def is_htmx(request: HttpRequest) -> bool:
    """True for a partial update sent by htmx (it marks its requests with a header)."""
    return request.headers.get("HX-Request") == "true"
