"""The pages' one edge for domain errors (openkam.common.errors).

Services and selectors refuse without knowing who asked; here a refusal that escapes a page's
view becomes what a browser shows: NotFound the project's 404 page (the same one an unknown
URL gets), a ValidationError a 400 page with its sentences, a Conflict a 409 with its
sentence. PermissionDenied needs nothing here: Django answers it with 403. The API has its own
edge (openkam.api.errors), so the same service reads as JSON there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

from openkam.common.errors import Conflict, NotFound
from openkam.common.http import is_htmx


def _refusal(request: HttpRequest, messages: list[str], *, status: int) -> HttpResponse:
    """The sentences as a page, or as the fragment an htmx swap shows in place."""
    template = "includes/refusal.html" if is_htmx(request) else "400.html"
    body = render_to_string(template, {"refusals": messages, "status": status}, request=request)
    return HttpResponse(body, status=status)


class DomainErrorMiddleware:
    """Turns the domain errors a view lets escape into the page's answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            # Through Django's own 404 path: the project's 404 page, and DEBUG's report.
            return response_for_exception(request, Http404(str(exception)))
        if isinstance(exception, ValidationError):
            return _refusal(request, exception.messages, status=400)
        if isinstance(exception, Conflict):
            return _refusal(request, [str(exception)], status=409)
        return None
