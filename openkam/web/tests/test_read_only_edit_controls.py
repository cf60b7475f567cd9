"""Read-only roles (viewer, analyst) are never handed edit controls by an htmx endpoint: the
relationship map's cell comes back without its editor, the editors themselves are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.tests import builders
from openkam.relationships.models import Contact
from openkam.team.models import User

FIELDS = ("support", "stage_choice", "reports_to")


@pytest.fixture
def buyer(world: World) -> Contact:
    return ContactFactory.create(account=world.account, name="王经理", support=0)


def _reader(world: World, role: str) -> User:
    return world.viewer if role == "viewer" else world.analyst


@pytest.mark.parametrize("role", ["viewer", "analyst"])
@pytest.mark.parametrize("field", FIELDS)
def test_a_read_only_role_gets_the_contact_cell_without_its_editor(
    world: World, buyer: Contact, role: str, field: str
) -> None:
    url = reverse("relationships:contact_cell", kwargs={"pk": buyer.pk, "field": field})
    response = client_for(_reader(world, role)).get(url, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="cell-{field}"' in content
    assert "okam-editable" not in content
    assert reverse("relationships:contact_field", args=[buyer.pk, field]) not in content


@pytest.mark.parametrize("field", FIELDS)
def test_the_kam_gets_the_contact_cell_with_its_editor(
    world: World, buyer: Contact, field: str
) -> None:
    url = reverse("relationships:contact_cell", kwargs={"pk": buyer.pk, "field": field})
    content = client_for(world.kam).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "okam-editable" in content
    assert reverse("relationships:contact_field", args=[buyer.pk, field]) in content


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_read_only_role_is_refused_the_contact_editor(
    world: World, buyer: Contact, role: str
) -> None:
    url = reverse("relationships:contact_field", kwargs={"pk": buyer.pk, "field": "support"})
    response = client_for(_reader(world, role)).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "<select" not in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_read_only_role_is_refused_the_interaction_editor(world: World, role: str) -> None:
    interaction = builders.interaction(world.account, day=dt.date(2026, 3, 2), ours=[world.kam])
    url = reverse("interactions:edit", kwargs={"pk": interaction.pk})
    response = client_for(_reader(world, role)).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    html = response.content.decode()  # the styled 403 page: the language switch, no editor
    assert 'data-testid="edit-form"' not in html
    assert f'action="{url}"' not in html
    assert "<textarea" not in html
