"""/api/v1/: the Ninja API (namespace "api": api:openapi-json, api:openapi-view, one name per
operation) and the page where a user manages their API tokens (api:tokens)."""

from __future__ import annotations

from django.urls import include, path, re_path

from openkam.api import views
from openkam.api.api import api

ninja_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *ninja_patterns,
                    path("tokens/", views.token_list, name="tokens"),
                    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
                    # Last: the rest of /api/v1/ is the API's JSON 404 (the token pages keep
                    # the site's own, and its trailing-slash redirect).
                    re_path(r"^(?!tokens(?:/|$))", views.api_not_found, name="not-found"),
                ],
                "api",
            ),
            namespace="api",
        ),
    )
]
