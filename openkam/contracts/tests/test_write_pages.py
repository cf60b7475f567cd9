"""Writing contracts from the pages: a writer records a draft with its items, edits it, signs
it, amends it once signed (with an approver), renews and terminates it; every refusal (another
team: 404; a reader: 403, on the form's GET too) saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.contracts.models import Amendment, Contract, ContractItem
from openkam.contracts.tests.builders import contract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "annual_supply", "number": "HT-2026-001", "title": "2026年度曳引机供货合同",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "notice_days": "30",
        "currency": "CNY", "commitment_period": "year", "committed_value": "1200000",
        "payment_terms": "月结60天", "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
        "items-0-family": "曳引机", "items-0-unit_price": "5000", "items-0-quantity": "240",
        "items-0-unit": "台", "items-1-family": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_kam_records_a_draft_with_its_items(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("contracts:create", args=[world.account.pk]), form_data()
    )
    made = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert (made.account, made.state, made.owner) == (world.account, "draft", world.kam)
    assert made.notice_by == dt.date(2026, 12, 1)  # 30 days before the end
    assert list(made.items.values_list("family", "quantity")) == [("曳引机", Decimal("240"))]
    assert list(made.covered_accounts.all()) == [world.account]


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_may_not_open_or_send_the_create_form(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    url = reverse("contracts:create", args=[world.account.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not Contract.objects.exists()


def test_another_teams_account_is_not_found_and_nothing_is_saved(world: World) -> None:
    url = reverse("contracts:create", args=[world.other_account.pk])
    assert client_for(world.kam).post(url, form_data()).status_code == 404
    assert not Contract.objects.exists()


def test_an_end_before_the_start_is_refused_on_its_field(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("contracts:create", args=[world.account.pk]), form_data(ends_on="2025-12-31")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not Contract.objects.exists()


def test_a_draft_is_edited_and_its_items_replaced(world: World) -> None:
    draft = contract(world.account, signed=False, items=[{"family": "门机"}])
    data = form_data(number=draft.number, **{"items-0-family": "曳引机"})
    response = client_for(world.kam).post(reverse("contracts:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "2026年度曳引机供货合同"
    assert list(draft.items.values_list("family", flat=True)) == ["曳引机"]


def test_a_signed_contract_is_not_edited_but_sent_to_the_amendment(world: World) -> None:
    signed = contract(world.account)
    response = client_for(world.kam).post(
        reverse("contracts:edit", args=[signed.pk]), form_data(number=signed.number)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:amend", args=[signed.pk])
    signed.refresh_from_db()
    assert signed.title == "年度供货合同"


def amendment_data(signed: Contract, approver: Any, **changes: Any) -> dict[str, Any]:
    return form_data(
        number=signed.number, summary="曳引机年量由240台调整为300台", reason="客户新增两个项目",
        approved_by=str(approver.pk), effective_on="2026-06-01", **changes,
    )  # fmt: skip


def test_an_amendment_changes_a_signed_contract_and_keeps_the_version_before(
    world: World,
) -> None:
    signed = contract(world.account, committed_value=Decimal("1000000"))
    data = amendment_data(signed, world.director, **{"items-0-quantity": "300"})
    response = client_for(world.kam).post(reverse("contracts:amend", args=[signed.pk]), data)
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.sequence, amendment.approved_by, amendment.recorded_by) == (
        1, world.director, world.kam,
    )  # fmt: skip
    assert amendment.changes["committed_value"] == ["1000000.00", "1200000.00"]
    assert amendment.changes["items"][1][0]["quantity"] == "300.000"
    signed.refresh_from_db()
    assert signed.committed_value == Decimal("1200000")
    before = signed.history.order_by("history_date")[1]  # created, signed, amended
    assert before.committed_value == Decimal("1000000")
    assert signed.history.count() == 3
    assert ContractItem.history.filter(contract_id=signed.pk).exists()


def test_an_amendment_approved_by_a_kam_is_refused_and_changes_nothing(world: World) -> None:
    signed = contract(world.account, committed_value=Decimal("1000000"))
    data = amendment_data(signed, world.kam)
    response = client_for(world.kam).post(reverse("contracts:amend", args=[signed.pk]), data)
    assert response.status_code == 200
    assert response.context["amendment"].errors["approved_by"]
    signed.refresh_from_db()
    assert signed.committed_value == Decimal("1000000")
    assert not Amendment.objects.exists()


def test_sign_then_renew_then_the_first_reads_renewed(world: World) -> None:
    draft = contract(world.account, signed=False)
    client = client_for(world.kam)
    client.post(reverse("contracts:step", args=[draft.pk, "sign"]), {"signed_on": "2025-12-20"})
    draft.refresh_from_db()
    assert (draft.state, draft.signed_on) == ("signed", dt.date(2025, 12, 20))
    response = client.post(reverse("contracts:step", args=[draft.pk, "renew"]), {"number": "R1"})
    successor = Contract.objects.get(number="R1")
    assert response["Location"] == successor.get_absolute_url()
    assert (successor.starts_on, successor.ends_on) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert successor.state == "draft"
    client.post(reverse("contracts:step", args=[successor.pk, "sign"]), {"signed_on": "2026-06-01"})
    page = client.get(reverse("contracts:detail", args=[draft.pk]))
    assert page.context["contract"].status == "renewed"


def test_terminate_needs_a_reason_and_then_ends_the_contract(world: World) -> None:
    signed = contract(world.account)
    client = client_for(world.kam)
    url = reverse("contracts:step", args=[signed.pk, "terminate"])
    client.post(url, {"terminated_on": "2026-06-01", "reason": ""})
    signed.refresh_from_db()
    assert signed.state == "signed"
    client.post(url, {"terminated_on": "2026-06-01", "reason": "客户产线关停"})
    signed.refresh_from_db()
    assert (signed.state, signed.terminated_on) == ("terminated", dt.date(2026, 6, 1))


def test_a_viewer_may_not_sign_and_nothing_changes(world: World) -> None:
    draft = contract(world.account, signed=False)
    url = reverse("contracts:step", args=[draft.pk, "sign"])
    assert client_for(world.viewer).post(url, {"signed_on": "2026-06-01"}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_only_a_draft_is_deleted(world: World) -> None:
    draft, signed = contract(world.account, signed=False), contract(world.account)
    client = client_for(world.kam)
    client.post(reverse("contracts:step", args=[draft.pk, "delete"]))
    client.post(reverse("contracts:step", args=[signed.pk, "delete"]))
    assert list(Contract.objects.values_list("pk", flat=True)) == [signed.pk]
