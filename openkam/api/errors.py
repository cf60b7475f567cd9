"""One JSON shape for every error the API returns:

    {"code": "validation_error", "detail": "<one sentence>",
     "errors": [{"loc": ["items", 3, "amount"], "field": "amount", "index": 3,
                 "message": "..."}]}

`loc` is where in the request the problem is (body fields without the body wrapper, or
"query"/"path" and the parameter); `index` is the item of a bulk request, when there is one.
Our own sentences follow the request's language (Accept-Language, or the language cookie).

Services raise domain errors (openkam.common.errors), never these: `install` maps them here,
NotFound to 404, PermissionDenied to 403, a Django ValidationError to 422 with its fields,
Conflict to 409. ApiError stays for what only the API says (a bulk request's per-item
refusals, authentication).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from openkam.common.errors import Conflict, FieldPermissionDenied, NotFound

Loc = Sequence[str | int]
SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")
# The name every body parameter has in our operations; not part of the location a client sees.
BODY_PARAM = "payload"


class FieldError(Schema):
    loc: list[str | int]
    field: str
    index: int | None = None
    message: str


class ErrorOut(Schema):
    code: str
    detail: str
    errors: list[FieldError] = []


def field_error(loc: Loc, message: str) -> dict[str, Any]:
    names = [part for part in loc if isinstance(part, str)]
    index = next((part for part in loc if isinstance(part, int)), None)
    return {
        "loc": list(loc),
        "field": names[-1] if names else "",
        "index": index if loc and loc[0] == "items" else None,
        "message": message,
    }


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, detail: str, errors: Iterable[dict[str, Any]] = ()
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = list(errors)


def invalid(errors: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, "validation_error", _("The request is not valid."), errors)


def forbidden(detail: str | None = None, errors: Iterable[dict[str, Any]] = ()) -> ApiError:
    return ApiError(403, "forbidden", detail or _("You do not have permission to do this."), errors)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def invalid_json() -> ApiError:
    """A body that does not parse (Ninja's parser says only "Cannot parse request body")."""
    return ApiError(400, "invalid_json", _("The body is not valid JSON."))


def not_found_response() -> HttpResponse:
    """The API's 404 for a path no operation has (`/accounts/abc`), outside Ninja's view."""
    body = {"code": "not_found", "detail": str(_("Not found.")), "errors": []}
    return JsonResponse(body, status=404)


def django_errors(exc: DjangoValidationError, prefix: Loc = ()) -> list[dict[str, Any]]:
    """A model's full_clean() errors as field errors under `prefix`."""
    if not hasattr(exc, "error_dict"):
        return [field_error([*prefix, NON_FIELD_ERRORS], message) for message in exc.messages]
    return [
        field_error([*prefix] + ([] if name == NON_FIELD_ERRORS else [name]), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _pydantic_message(error: dict[str, Any]) -> str:
    """Our translated sentence for the common kinds of input error, pydantic's otherwise."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "datetime_parsing": _("Enter a valid date and time (ISO 8601)."),
        "datetime_from_date_parsing": _("Enter a valid date and time (ISO 8601)."),
        "bool_parsing": _("Enter true or false."),
        "datetime_range": _("Enter a date and time between the years 2 and 9998."),
        "greater_than_equal": _("Ensure this value is at least %(min)s.") % {"min": ctx.get("ge")},
        "less_than_equal": _("Ensure this value is at most %(max)s.") % {"max": ctx.get("le")},
        "string_type": _("Enter text."),
        "extra_forbidden": _("This field is not known."),
        "json_invalid": _("The body is not valid JSON."),
        "too_long": _("Too many items (at most %(max)s).") % {"max": ctx.get("max_length")},
        "string_too_long": _("Ensure this value has at most %(max)s characters.")
        % {"max": ctx.get("max_length")},
        "literal_error": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected")},
        "enum": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected")},
    }
    return messages.get(kind) or str(error.get("msg", ""))


def _client_loc(loc: Loc) -> list[str | int]:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
        if parts and parts[0] == BODY_PARAM:
            parts = parts[1:]
    return parts


def _respond(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    body = {"code": error.code, "detail": error.detail, "errors": error.errors}
    response = api.create_response(request, body, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="openkam"'
    return response


def _sentence(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args and exc.args[0] else ""


def refused(exc: PermissionDenied) -> ApiError:
    """A domain refusal as the API's 403: on a field when the service named one."""
    if isinstance(exc, FieldPermissionDenied):
        return forbidden(errors=[field_error([exc.field], exc.message)])
    return forbidden(_sentence(exc) or None)


def install(api: NinjaAPI) -> None:
    """Route every kind of failure through the one JSON shape."""

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, exc)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            field_error(_client_loc(error.get("loc", ())), _pydantic_message(error))
            for error in exc.errors
        ]
        return _respond(api, request, invalid(errors))

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("Authentication required: send a valid API token or log in.")
        return _respond(api, request, ApiError(401, "unauthorized", detail))

    def on_authorization(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, forbidden())

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, not_found())

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc.__cause__, ApiError):
            # Ninja wraps whatever the body parser raises: our parser's own refusal (text
            # PostgreSQL cannot store) keeps its field and status.
            return _respond(api, request, exc.__cause__)
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return _respond(api, request, invalid_json())
        return _respond(api, request, ApiError(exc.status_code, "error", str(exc)))

    def on_domain_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, not_found())

    def on_permission_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, refused(exc))

    def on_domain_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, invalid(django_errors(exc)))

    def on_conflict(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, ApiError(409, "conflict", _sentence(exc)))

    api.add_exception_handler(NotFound, on_domain_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(DjangoValidationError, on_domain_invalid)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_authorization)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
