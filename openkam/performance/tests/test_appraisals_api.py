"""/api/v1/appraisals and /api/v1/commission-statements for every persona: the form is read by
the KAM, their director and executives (anyone else: 404); the manager rates and the KAM
comments (the KAM rating: 403); a KAM's pay is read by the KAM and executives only (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.ledger.models import Invoice, Payment
from openkam.performance.appraisals import appraisal_open
from openkam.performance.commission import pay_plan_set
from openkam.performance.models import Appraisal, AppraisalStatus, KpiWeight

pytestmark = pytest.mark.django_db
PERSONAS = ["executive", "director", "kam", "other_kam", "analyst", "viewer"]


@pytest.fixture
def api(world: World) -> dict[str, ApiClient]:
    return {name: api_for(getattr(world, name)) for name in PERSONAS} | {
        "anonymous": ApiClient(None)
    }


@pytest.fixture
def form(world: World) -> Appraisal:
    return appraisal_open(user=world.director, kam=world.kam, period="2026")


@pytest.mark.parametrize(("who", "status"), [
    ("executive", 200), ("director", 200), ("kam", 200), ("other_kam", 404), ("analyst", 404),
    ("viewer", 404), ("anonymous", 401),
])  # fmt: skip
def test_who_reads_a_form(
    api: dict[str, ApiClient], form: Appraisal, who: str, status: int
) -> None:
    response = api[who].get(f"/appraisals/{form.pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert len(body["lines"]) == 10
        assert body["status"] == "draft"
    listed = api[who].get("/appraisals")
    if who != "anonymous":
        ids = [row["id"] for row in listed.json()["items"]]
        assert ids == ([form.pk] if status == 200 else [])


def test_the_manager_rates_the_kam_comments_and_both_sign(
    api: dict[str, ApiClient], form: Appraisal
) -> None:
    rated = api["director"].patch(
        f"/appraisals/{form.pk}", {"ratings": {"attitude": 4}, "manager_comment": "好"}
    )
    assert rated.status_code == 200
    assert rated.json()["ratings"] == {"attitude": 4}
    assert api["kam"].patch(f"/appraisals/{form.pk}", {"kam_comment": "同意"}).status_code == 200
    assert api["kam"].post(f"/appraisals/{form.pk}/sign", {}).json()["status"] == "kam_signed"
    closed = api["director"].post(f"/appraisals/{form.pk}/sign", {})
    assert closed.json()["status"] == "closed"
    refused = api["kam"].patch(f"/appraisals/{form.pk}", {"kam_comment": "改"})
    assert refused.status_code == 422
    form.refresh_from_db()
    assert form.kam_comment == "同意"
    assert form.status == AppraisalStatus.CLOSED


@pytest.mark.parametrize(
    ("who", "status"), [("kam", 403), ("other_kam", 404), ("analyst", 404), ("viewer", 404)]
)
def test_others_may_not_rate(
    api: dict[str, ApiClient], form: Appraisal, who: str, status: int
) -> None:
    response = api[who].patch(f"/appraisals/{form.pk}", {"ratings": {"attitude": 5}})
    assert response.status_code == status
    form.refresh_from_db()
    assert form.ratings == {}


def test_a_rating_out_of_range_names_the_field(api: dict[str, ApiClient], form: Appraisal) -> None:
    response = api["director"].patch(f"/appraisals/{form.pk}", {"ratings": {"attitude": 9}})
    assert response.status_code == 422
    assert "attitude" in response.text


@pytest.mark.parametrize(
    ("who", "status"), [("kam", 403), ("other_kam", 404), ("analyst", 404), ("viewer", 404)]
)
def test_only_the_manager_opens_a_form(
    api: dict[str, ApiClient], world: World, who: str, status: int
) -> None:
    response = api[who].post("/appraisals", {"kam_id": world.kam.pk, "period": "2026"})
    assert response.status_code == status
    assert not Appraisal.objects.exists()


def test_the_director_opens_a_form(api: dict[str, ApiClient], world: World) -> None:
    response = api["director"].post("/appraisals", {"kam_id": world.kam.pk, "period": "2026-Q3"})
    assert response.status_code == 201
    assert response.json()["period"] == "2026-Q3"


@pytest.fixture
def paid(world: World) -> World:
    invoice = Invoice.objects.create(
        account=world.account, invoice_no="INV-5", invoice_date=dt.date(2026, 2, 1),
        due_date=dt.date(2026, 3, 1), amount=Decimal(2000),
    )  # fmt: skip
    Payment.objects.create(
        account=world.account,
        invoice=invoice,
        payment_date=dt.date(2026, 3, 1),
        amount=Decimal(1000),
    )
    pay_plan_set(user=world.executive, kam=world.kam, year=2026, annual_salary=Decimal(120000),
                 basis="sales", tiers=[{"from": "0", "rate": "0.03"}])  # fmt: skip
    return world


@pytest.mark.parametrize(("who", "status"), [
    ("executive", 200), ("kam", 200), ("director", 404), ("other_kam", 404), ("analyst", 404),
    ("viewer", 404), ("anonymous", 401),
])  # fmt: skip
def test_who_reads_a_kams_commission_statement(
    api: dict[str, ApiClient], paid: World, who: str, status: int
) -> None:
    response = api[who].get(f"/commission-statements/{paid.kam.pk}", {"period": "2026-Q1"})
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["commission"] == "30.00"
        assert body["salary"] == "30000.00"
        line = body["lines"][0]
        assert (line["invoice_no"], line["paid"], line["paid_share"], line["commission"]) == (
            "INV-5",
            "1000.00",
            "0.5000",
            "30.00",
        )


def test_a_statement_needs_its_period(api: dict[str, ApiClient], paid: World) -> None:
    response = api["kam"].get(f"/commission-statements/{paid.kam.pk}")
    assert response.status_code == 422
    assert "period" in response.text


WEIGHTS = [
    {"kpi": "sales", "weight": "60"},
    {"kpi": "margin_rate", "weight": "40", "target": "0.2"},
]


def put(client: ApiClient, path: str, body: object) -> Any:
    return client._send("put", path, body)  # the shared client has no put() yet


def test_the_director_sets_the_teams_weights(api: dict[str, ApiClient], world: World) -> None:
    response = put(
        api["director"], "/appraisal-weights", {"team_id": world.team.pk, "weights": WEIGHTS}
    )
    assert response.status_code == 200
    read = api["kam"].get("/appraisal-weights", {"team_id": world.team.pk}).json()
    assert {row["kpi"]: row["weight"] for row in read if row["weight"] != "0"} == {
        "sales": "60.00",
        "margin_rate": "40.00",
    }


@pytest.mark.parametrize(("who", "team", "status"), [
    ("kam", "team", 403), ("viewer", "team", 403), ("analyst", None, 403), ("director", None, 403),
    ("director", "other_team", 404), ("other_kam", "team", 404), ("anonymous", None, 401),
])  # fmt: skip
def test_others_may_not_set_weights(
    api: dict[str, ApiClient], world: World, who: str, team: str | None, status: int
) -> None:
    body = {"weights": WEIGHTS, **({"team_id": getattr(world, team).pk} if team else {})}
    assert put(api[who], "/appraisal-weights", body).status_code == status
    assert not KpiWeight.objects.exists()


def test_weights_not_adding_up_are_refused(api: dict[str, ApiClient]) -> None:
    response = put(api["executive"], "/appraisal-weights", {"weights": WEIGHTS[:1]})
    assert response.status_code == 422
    assert "100" in response.text
    assert not KpiWeight.objects.exists()
