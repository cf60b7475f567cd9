"""Every service model has a back-office page, and each page answers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openkam.conftest import World
from openkam.service.models import ServiceCase, SlaPolicy
from openkam.service.tests.builders import case
from openkam.team.models import User

pytestmark = pytest.mark.django_db


def test_each_service_model_has_an_answering_page(world: World, superuser: User) -> None:
    registered = {model for model in admin.site._registry if model._meta.app_label == "service"}
    assert registered == {ServiceCase, SlaPolicy}
    case(world.account)
    SlaPolicy.objects.create(tier="key", severity="high", response_hours=2, resolution_hours=24)
    client = Client()
    client.force_login(superuser)
    for model in (ServiceCase, SlaPolicy):
        name = f"admin:service_{model._meta.model_name}"
        row = model.objects.get()
        assert client.get(reverse(f"{name}_changelist")).status_code == 200
        assert client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200
        assert client.get(reverse(f"{name}_add")).status_code == 200
