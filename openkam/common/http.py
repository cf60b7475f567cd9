"""Small facts about an incoming request that every app's views ask."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a partial update sent by htmx (it marks its requests with a header)."""
    return request.headers.get("HX-Request") == "true"
