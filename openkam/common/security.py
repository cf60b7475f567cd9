"""Login throttling's hooks into django-axes: its gate for HTTP log-ins, which address a
request comes from, and the page a locked-out user sees (in their language, with how long the
lock lasts)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' gate before the password check, for log-ins over HTTP only: a script or
    the shell calling authenticate() without a request has no address to count, and axes'
    own backend would raise there instead of letting the next backend check the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address failed log-ins are counted against. Behind OPENKAM_PROXY_COUNT proxies
    that each append to X-Forwarded-For, the client is that many entries from the right (the
    entries further left are whatever the client sent); without proxies, REMOTE_ADDR. Counting
    REMOTE_ADDR behind a proxy would lock everybody out at once."""
    proxies: int = settings.OPENKAM_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The login page's refusal while a user or an address is locked (429 Too Many Requests)."""
    context = {"minutes": settings.OPENKAM_LOGIN_LOCKOUT_MINUTES}
    return render(request, "registration/locked_out.html", context, status=429)
