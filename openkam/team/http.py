"""The request type of views behind login_required, so mypy knows who is asking. It lives
with the user model it names (team), the lowest app every view already depends on."""

from __future__ import annotations

from django.http import HttpRequest

from openkam.team.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
