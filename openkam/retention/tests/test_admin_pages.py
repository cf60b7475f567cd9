"""Every model of the retention app has a back-office page, and each page answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openkam.conftest import World
from openkam.retention.models import LifecycleChange, LifecycleOverride, RuleBacktest
from openkam.retention.tests.builders import of_other_team
from openkam.team.models import User

pytestmark = pytest.mark.django_db
MODELS = [
    m
    for m in apps.get_app_config("retention").get_models()
    if not m.__name__.startswith("Historical")
]


def test_every_model_is_registered() -> None:
    assert {m.__name__ for m in MODELS} == {
        "WinBackCase", "WinBackAction", "LifecycleChange", "LifecycleOverride", "RuleBacktest"
    }  # fmt: skip
    assert all(model in admin.site._registry for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_list_and_the_change_page_answer(world: World, superuser: User, model: Any) -> None:
    of_other_team(world.other_account)
    LifecycleChange.objects.create(
        account=world.account, day=dt.date(2026, 3, 1), from_stage="maintenance",
        to_stage="lost", source="data",
    )  # fmt: skip
    LifecycleOverride.objects.create(
        account=world.account, stage="lost", overrode="maintenance", reason="不再合作",
        user=world.kam,
    )  # fmt: skip
    RuleBacktest.objects.create(rule="p_alive_low", horizon_months=6, outcome="churn")
    client = Client()
    client.force_login(superuser)
    meta = model._meta
    listed = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listed.status_code == 200
    row = model.objects.first()
    page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
    assert page.status_code == 200
