"""Who is calling: an integration with a bearer token, or the browser with its session.

The session counts only when no Authorization header is sent (a bad token is a 401, not a
fall-back to whatever session the browser holds), and unsafe methods need the CSRF token, as
every form of the site does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
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


def _caller(request: HttpRequest) -> User | None:
    """The user behind a bearer token, else the browser's logged-in user, else None."""
    if "Authorization" in request.headers:
        found = TokenAuth()(request)
        return found if isinstance(found, User) else None
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def docs_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and the docs are for our users only (issue 17: they list every field we
    keep). A browser is sent to the login page; a client without a valid token gets the
    API's 401."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _caller(request) is not None:
            return view(request, *args, **kwargs)
        if "Authorization" not in request.headers and "text/html" in request.headers.get(
            "Accept", ""
        ):
            return redirect_to_login(request.get_full_path())
        detail = _("Authentication required: send a valid API token or log in.")
        body = {"code": "unauthorized", "detail": str(detail), "errors": []}
        response = JsonResponse(body, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="openkam"'
        return response

    return guarded
