"""Issue 17: the API must not tell a user anything about another team's rows. An ID they do
not see, in a path or in a body, gets the answer an ID that does not exist gets, with no name
in it; only a row they see but may not change is a 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ContactFactory, ProductFactory
from openkam.interactions.models import Interaction
from openkam.ledger.models import Invoice, Order
from openkam.relationships.models import Contact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SECRET = "另一团队的秘密联系人"
MISSING = 987654321


@pytest.fixture
def secret(world: World) -> Contact:
    return ContactFactory.create(account=world.other_account, name=SECRET)


def visit(world: World, **changes: Any) -> dict[str, Any]:
    starts_at = (timezone.now() - dt.timedelta(days=1)).isoformat()
    return {"account_id": world.account.pk, "starts_at": starts_at, "subject": "拜访"} | changes


def test_another_teams_contact_as_a_participant_reads_as_unknown_with_no_name(
    world: World, api: dict[str, ApiClient], secret: Contact
) -> None:
    response = api["kam"].post("/interactions", visit(world, their_participant_ids=[secret.pk]))
    unknown = api["kam"].post("/interactions", visit(world, their_participant_ids=[MISSING]))
    assert response.status_code == 422
    assert SECRET not in response.content.decode()
    assert response.json() == unknown.json()
    assert response.json()["errors"][0]["loc"] == ["their_participant_ids", 0]
    assert not Interaction.objects.exists()


def test_a_patch_naming_another_teams_contact_reads_as_unknown(
    world: World, api: dict[str, ApiClient], secret: Contact
) -> None:
    logged = api["kam"].post("/interactions", visit(world)).json()
    url = f"/interactions/{logged['id']}"
    response = api["kam"].patch(url, {"their_participant_ids": [secret.pk]})
    assert response.status_code == 422
    assert SECRET not in response.content.decode()
    assert response.json() == api["kam"].patch(url, {"their_participant_ids": [MISSING]}).json()


def test_another_teams_contact_as_a_boss_reads_as_unknown(
    world: World, api: dict[str, ApiClient], secret: Contact
) -> None:
    def boss(pk: int) -> Any:
        body = {"account_id": world.account.pk, "name": "新人", "reports_to_id": pk}
        return api["kam"].post("/contacts", body)

    response = boss(secret.pk)
    assert response.status_code == 422
    assert SECRET not in response.content.decode()
    assert response.json() == boss(MISSING).json()
    assert response.json()["errors"][0]["field"] == "reports_to_id"
    assert not Contact.objects.filter(name="新人").exists()


def test_another_teams_credit_code_reads_as_unknown_in_a_bulk_write(
    world: World, api: dict[str, ApiClient]
) -> None:
    def cost(code: str) -> Any:
        item = {"source": "erp", "external_id": "C-1", "account_credit_code": code, "year": 2026}
        item |= {"kind": "direct", "category": "freight", "amount": "10.00"}
        return api["kam"].post("/costs-to-serve/bulk", {"items": [item]})

    response = cost(world.other_account.credit_code)
    assert response.status_code == 422
    assert response.json() == cost("91110000000000000X").json()


def test_another_teams_order_reads_as_unknown_to_an_invoice(
    world: World, api: dict[str, ApiClient]
) -> None:
    Order.objects.create(
        account=world.other_account, source="erp", external_id="SO-9", order_no="9",
        order_date="2026-03-15",
    )  # fmt: skip

    def invoice(order: str) -> Any:
        item = {"source": "erp", "external_id": "INV-1", "account_id": world.account.pk}
        item |= {"order_external_id": order, "invoice_no": "1", "invoice_date": "2026-03-20"}
        return api["kam"].post("/invoices/bulk", {"items": [item | {"amount": "1.00"}]})

    response = invoice("SO-9")
    assert response.status_code == 422
    assert response.json() == invoice("SO-404").json()
    assert not Invoice.objects.exists()


def test_a_duplicate_credit_code_is_the_fields_error_naming_no_account(
    world: World, api: dict[str, ApiClient]
) -> None:
    code = world.other_account.credit_code
    body = {"legal_name": "新公司", "credit_code": code, "team_id": world.team.pk}
    response = api["kam"].post("/accounts", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["credit_code"]
    assert world.other_account.legal_name not in response.content.decode()
    patched = api["kam"].patch(f"/accounts/{world.account.pk}", {"credit_code": code})
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["loc"] == ["credit_code"]


def _rows(world: World) -> dict[str, Any]:
    contact = ContactFactory.create(account=world.account)
    interaction = Interaction.objects.create(
        account=world.account, starts_at=timezone.now(), subject="拜访"
    )
    ProductFactory.create(sku="TM-100")
    order = Order.objects.create(
        account=world.account, source="erp", external_id="SO-1", order_no="1",
        order_date="2026-03-15",
    )  # fmt: skip
    return {
        "accounts": world.account.pk,
        "contacts": contact.pk,
        "interactions": interaction.pk,
        "orders": order.pk,
    }


WRITES = [
    ("patch", "accounts", {"notes": "改"}),
    ("delete", "accounts", None),
    ("patch", "contacts", {"title": "总经理"}),
    ("delete", "contacts", None),
    ("patch", "interactions", {"subject": "改"}),
    ("post", "interactions/{}/cancel", {}),
    ("delete", "orders", None),
]


@pytest.mark.parametrize(("method", "kind", "body"), WRITES)
def test_a_write_to_another_teams_row_is_a_404_like_a_missing_one(
    world: World, api: dict[str, ApiClient], method: str, kind: str, body: Any
) -> None:
    pk = _rows(world)[kind.split("/")[0]]
    path = f"/{kind}".format(pk) if "{}" in kind else f"/{kind}/{pk}"
    missing = path.replace(str(pk), str(MISSING))
    send = getattr(api["other_kam"], method)
    args = () if body is None else (body,)
    response = send(path, *args)
    assert response.status_code == 404
    assert response.json() == send(missing, *args).json()
    viewer = getattr(api["viewer"], method)(path, *args)
    assert viewer.status_code == 403  # the viewer sees the row, and reads only
