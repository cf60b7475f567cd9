"""The back office lists tokens without their hash and revokes them; it cannot create one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.api.tokens import token_authenticate, token_create
from openkam.conftest import World, client_for
from openkam.team.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_admin_lists_and_revokes_tokens(world: World, superuser: User) -> None:
    issued = token_create(user=world.kam, name="ERP")
    client = client_for(superuser)
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert "ERP" in listing
    change = client.get(reverse("admin:api_apitoken_change", args=[issued.token.pk]))
    assert issued.token.secret_hash not in change.content.decode()
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [issued.token.pk]},
    )
    assert response.status_code == 302
    assert token_authenticate(issued.secret) is None


def test_the_admin_does_not_create_tokens(superuser: User) -> None:
    response = client_for(superuser).get(reverse("admin:api_apitoken_add"))
    assert response.status_code == 403
