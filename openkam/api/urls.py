"""/api/v1/: the Ninja API (namespace "api": api:openapi-json, api:openapi-view, one name per
operation) and the page where a user manages their API tokens (api:tokens)."""

from __future__ import annotations

from django.urls import include, path

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
                ],
                "api",
            ),
            namespace="api",
        ),
    )
]
