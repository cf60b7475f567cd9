"""Who is calling: an integration with a bearer token, or the browser with its session.

The session counts only when no Authorization header is sent (a bad token is a 401, not a
fall-back to whatever session the browser holds), and unsafe methods need the CSRF token, as
every form of the site does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from openkam.api.errors import ApiError
from openkam.api.tokens import token_authenticate
from openkam.team.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class BrowserSessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None  # not a browser call: no CSRF question either
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF token is missing or wrong: reload the page and try again."),
            )
        return request.COOKIES[self.param_name]

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = request.user
        return user if user.is_authenticated and user.is_active else None


api_auth = [TokenAuth(), BrowserSessionAuth()]
