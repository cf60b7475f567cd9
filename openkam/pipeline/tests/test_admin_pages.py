"""Every pipeline model has a back-office page, and each page answers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openkam.conftest import World
from openkam.pipeline.models import Opportunity, ProspectScreening, StageChange, StageProbability
from openkam.pipeline.tests.builders import opportunity
from openkam.team.models import User

pytestmark = pytest.mark.django_db
MODELS = (Opportunity, StageChange, StageProbability, ProspectScreening)


def test_every_pipeline_model_is_registered() -> None:
    registered = {model for model in admin.site._registry if model._meta.app_label == "pipeline"}
    assert registered == set(MODELS)


def test_each_page_answers(world: World, superuser: User) -> None:
    opportunity(world.account)
    ProspectScreening.objects.create(
        account=world.account, outcome="qualified", reason="好", screened_on="2026-01-01"
    )
    client = Client()
    client.force_login(superuser)
    for model in MODELS:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        row = model.objects.first()
        assert row is not None
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200, name
        assert client.get(reverse(f"{name}_add")).status_code == 200, name
