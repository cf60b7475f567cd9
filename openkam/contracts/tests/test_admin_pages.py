"""Every contracts model has a back-office page, and each page answers (changelist, change
form; the add form where one is offered). Files are never linked to storage from there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openkam.conftest import World
from openkam.contracts.models import Amendment, Attachment, Contract, ContractItem
from openkam.contracts.tests.builders import contract
from openkam.team.models import User

pytestmark = pytest.mark.django_db


def test_every_contracts_model_is_registered() -> None:
    registered = {model for model in admin.site._registry if model._meta.app_label == "contracts"}
    assert registered == {Contract, ContractItem, Amendment, Attachment}


def test_each_page_answers(world: World, superuser: User) -> None:
    deal = contract(world.account, items=[{"family": "曳引机", "amount": Decimal("10")}])
    Amendment.objects.create(
        contract=deal, sequence=1, summary="改", reason="因", approved_by=world.director,
        effective_on=deal.starts_on,
    )  # fmt: skip
    file = Attachment.objects.create(
        contract=deal, kind="signed", name="合同.pdf", file="x/合同.pdf",
        content_type="application/pdf", size=3, sha256="0" * 64,
    )  # fmt: skip
    client = Client()
    client.force_login(superuser)
    for model in (Contract, ContractItem, Amendment, Attachment):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        row = model.objects.first()
        assert row is not None
        assert client.get(reverse(f"{name}_changelist")).status_code == 200
        page = client.get(reverse(f"{name}_change", args=[row.pk]))
        assert page.status_code == 200, model
    assert client.get(reverse("admin:contracts_contract_add")).status_code == 200
    assert client.get(reverse("admin:contracts_attachment_add")).status_code == 403
    shown = client.get(reverse("admin:contracts_attachment_change", args=[file.pk]))
    html = shown.content.decode()
    assert reverse("contracts:attachment", args=[file.pk]) in html
    assert "x/合同.pdf" not in html  # no storage path shown
