"""The pages' one edge for domain errors (openkam.web.errors): a NotFound escaping a view is
the project's 404 page, a ValidationError a 400 with its sentences (a fragment for htmx),
a Conflict a 409, and PermissionDenied stays Django's 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse

from openkam.common.errors import Conflict, NotFound
from openkam.conftest import World, client_for

RAISED: dict[str, Exception] = {
    "not-found": NotFound("No account with this ID."),
    "invalid": ValidationError({"stage": ["Unknown relationship stage."]}),
    "conflict": Conflict("The account still has subsidiaries."),
    "denied": PermissionDenied("Not yours."),
}


def raise_it(request: HttpRequest, kind: str) -> HttpResponse:
    raise RAISED[kind]


urlpatterns = [path("raise/<str:kind>/", raise_it), path("", include("openkam.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_not_found_is_the_projects_404_page(world: World, english: None) -> None:
    response = client_for(world.kam).get("/raise/not-found/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_a_validation_error_is_a_400_page_with_its_sentence(world: World, english: None) -> None:
    response = client_for(world.kam).get("/raise/invalid/")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="refused"' in page
    assert "Unknown relationship stage." in page
    assert "<html" in page


def test_htmx_gets_the_sentence_alone(world: World, english: None) -> None:
    response = client_for(world.kam).get("/raise/invalid/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    fragment = response.content.decode()
    assert "Unknown relationship stage." in fragment
    assert "<html" not in fragment


def test_a_conflict_is_a_409_with_its_sentence(world: World, english: None) -> None:
    response = client_for(world.kam).get("/raise/conflict/")
    assert response.status_code == 409
    assert "The account still has subsidiaries." in response.content.decode()


def test_permission_denied_is_left_to_django(world: World) -> None:
    assert client_for(world.kam).get("/raise/denied/").status_code == 403


def test_the_refusal_page_reads_in_chinese(world: World) -> None:
    response = client_for(world.kam).get("/raise/invalid/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "请求未被受理" in response.content.decode()


def test_a_real_page_answers_an_invisible_account_with_the_404_page(world: World) -> None:
    url = reverse("interactions:timeline", args=[world.account.pk])
    response = client_for(world.other_kam).get(url)
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()
