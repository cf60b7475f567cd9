"""/api/v1/target-profiles and /api/v1/project-terms (the promotion mode's facts): recorded,
read and changed through the API with the pages' rules, per-mu figures and the promotion
score pinned to hand-computed values, the default stage of a new project in promotion mode,
and every route tried by every persona (another team: 404, or 422 when the body names its
row; readers: 403; no token: 401; a second profile or terms: 409), nothing saved on refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.api.tests.conftest import ApiClient, api
from openkam.conftest import World
from openkam.factories import UserFactory
from openkam.pipeline.models import (
    ChainLink,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    Stage,
    TargetProfile,
)
from openkam.pipeline.tests.builders import opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["api"]

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
READ_LIST = {"anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}
TERMS = {"land_mu": "200", "jobs": 800, "annual_output": "1200000000", "annual_tax": "60000000"}


@pytest.fixture
def promotion_mode(settings: Any) -> None:
    settings.OPENKAM_MODE = "promotion"


def test_an_officer_records_and_changes_a_targets_profile(
    world: World, api: dict[str, ApiClient]
) -> None:
    chain = IndustryChain.objects.create(name="新能源汽车")
    ChainLink.objects.create(anchor=world.account, supplier=world.other_account)
    kam = api["kam"]
    created = kam.post(
        "/target-profiles",
        {"account_id": world.account.pk, "chain_id": chain.pk, "position": "leader",
         "market_share": "12.5", "technology_level": 4, "policy_asks": "土地指标"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["chain"], body["position"], body["technology_level"]) == (
        "新能源汽车",
        "leader",
        4,
    )
    assert Decimal(body["market_share"]) == Decimal("12.5")
    assert body["supplier_ids"] == []  # the other team's supplier is not shown
    url = f"/target-profiles/{world.account.pk}"
    changed = kam.patch(url, {"position": None, "patent_share": "3", "policy_asks": None})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["position"], changed.json()["policy_asks"]) == ("", "")
    profile = TargetProfile.objects.get()
    assert (profile.position, profile.patent_share, profile.chain_id) == ("", 3, chain.pk)
    kept = profile.history.order_by("history_date", "history_id").values_list("position", flat=True)
    assert list(kept)[-2:] == ["leader", ""]
    assert api["exec"].get(url).json()["supplier_ids"] == [world.other_account.pk]
    listed = api["exec"].get("/target-profiles", {"chain_id": chain.pk}).json()
    assert [row["account_id"] for row in listed["items"]] == [world.account.pk]
    assert api["exec"].get("/target-profiles", {"position": "leader"}).json()["count"] == 0


def test_bad_profile_input_names_the_field_and_saves_nothing(
    world: World, api: dict[str, ApiClient]
) -> None:
    kam = api["kam"]
    for body, field in (
        ({"market_share": "101"}, "market_share"),
        ({"market_share": "1.234"}, "market_share"),
        ({"technology_level": 9}, "technology_level"),
        ({"position": "boss"}, "position"),
        ({"chain_id": 999}, "chain_id"),
        ({"colour": "red"}, "colour"),
    ):
        answer = kam.post("/target-profiles", {"account_id": world.account.pk, **body})
        assert answer.status_code == 422, (body, answer.json())
        assert field in {error["field"] for error in answer.json()["errors"]}, answer.json()
    assert not TargetProfile.objects.exists()


def test_project_terms_give_per_mu_figures_and_the_score(
    world: World, api: dict[str, ApiClient]
) -> None:
    project = opportunity(world.account, amount="500000000", stage=Stage.SITE_VISIT)
    body = {"opportunity_id": project.pk, **TERMS, "park_fit": 4, "competing_cities": "合肥"}
    created = api["kam"].post("/project-terms", body)
    assert created.status_code == 201, created.json()
    body = created.json()
    # 1,200,000,000 / 200 mu = 6,000,000 a mu; 60,000,000 / 200 = 300,000 a mu.
    assert (Decimal(body["output_per_mu"]), Decimal(body["tax_per_mu"])) == (6_000_000, 300_000)
    # investment 5亿/10亿 = 50 (x30), tax per mu 30万/50万 = 60 (x25), leverage 0 (x20),
    # technology not recorded, park fit (4-1)x25 = 75 (x10): (1500+1500+0+750)/85 = 44.1.
    assert body["score"] == 44.1
    assert [line["weight"] for line in body["score_lines"]] == [30, 25, 20, 15, 10]
    url = f"/project-terms/{project.pk}"
    changed = api["dir"].patch(url, {"land_mu": "100", "competing_cities": None})
    assert changed.status_code == 200, changed.json()
    assert Decimal(changed.json()["tax_per_mu"]) == 600_000
    assert changed.json()["competing_cities"] == ""
    # tax per mu now full marks: (1500+2500+0+750)/85 = 55.9.
    assert changed.json()["score"] == 55.9
    kept = ProjectTerms.objects.get().history.order_by("history_date", "history_id")
    assert [row.land_mu for row in kept][-2:] == [200, 100]
    listed = api["exec"].get("/project-terms", {"account_id": world.account.pk}).json()
    assert [row["opportunity_id"] for row in listed["items"]] == [project.pk]


def test_bad_terms_name_the_field_and_save_nothing(world: World, api: dict[str, ApiClient]) -> None:
    project = opportunity(world.account)
    for body, field in (
        ({"land_mu": "0"}, "land_mu"),
        ({"land_mu": "1.234"}, "land_mu"),
        ({"park_fit": 6}, "park_fit"),
        ({"annual_tax": "-1"}, "annual_tax"),
        ({"jobs": -3}, "jobs"),
    ):
        answer = api["kam"].post("/project-terms", {"opportunity_id": project.pk, **body})
        assert answer.status_code == 422, (body, answer.json())
        assert field in {error["field"] for error in answer.json()["errors"]}, answer.json()
    assert not ProjectTerms.objects.exists()


@pytest.mark.usefixtures("promotion_mode")
def test_a_new_project_starts_at_the_promotion_modes_first_stage(
    world: World, api: dict[str, ApiClient]
) -> None:
    new = {"account_id": world.account.pk, "title": "电池包工厂", "amount": "300000000",
           "expected_close": "2026-12-31"}  # fmt: skip
    created = api["kam"].post("/opportunities", new)
    assert created.status_code == 201, created.json()
    assert (created.json()["stage"], created.json()["probability"]) == ("lead", 5)
    assert [c["to_stage"] for c in created.json()["stage_changes"]] == ["lead"]
    refused = api["kam"].post("/opportunities", {**new, "stage": "needs_analysis"})
    assert refused.status_code == 422
    assert {error["field"] for error in refused.json()["errors"]} == {"stage"}
    assert Opportunity.objects.count() == 1


def test_a_new_opportunity_starts_at_needs_analysis_in_the_sales_mode(
    world: World, api: dict[str, ApiClient]
) -> None:
    new = {"account_id": world.account.pk, "title": "扶梯", "amount": "1",
           "expected_close": "2026-12-31"}  # fmt: skip
    assert api["kam"].post("/opportunities", new).json()["stage"] == "needs_analysis"


def test_the_schema_documents_the_promotion_routes() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    schema = client.get(reverse("api:openapi-json")).json()
    paths = schema["paths"]
    for path in ("/api/v1/target-profiles", "/api/v1/project-terms"):
        assert set(paths[path]) == {"get", "post"}
        assert "409" in paths[path]["post"]["responses"]
    for path in ("/api/v1/target-profiles/{account_id}", "/api/v1/project-terms/{opportunity_id}"):
        assert set(paths[path]) == {"get", "patch"}
        assert {"403", "404", "422"} <= set(paths[path]["patch"]["responses"])
    stage = paths["/api/v1/opportunities"]["post"]["requestBody"]["content"]["application/json"]
    assert stage["schema"]["$ref"].endswith("OpportunityIn")
    opportunity_in = schema["components"]["schemas"]["OpportunityIn"]["properties"]["stage"]
    assert "first stage" in opportunity_in["description"]


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict[str, Any] | None]]
    refusals: dict[str, int]
    ok: int = 200


def _profile(world: World) -> int:
    TargetProfile.objects.get_or_create(account=world.account)
    return world.account.pk


def _project(world: World) -> int:
    return opportunity(world.account).pk


def _terms(world: World) -> int:
    project = opportunity(world.account)
    ProjectTerms.objects.create(opportunity=project, land_mu=Decimal(10))
    return project.pk


def after(_built: object, path: str) -> str:
    """The path, once the row it lists is built."""
    return path


ROUTES = [
    Route("profiles", "get", lambda w: (after(_profile(w), "/target-profiles"), None), READ_LIST),
    Route(
        "profile-create",
        "post",
        lambda w: ("/target-profiles", {"account_id": w.account.pk, "position": "leader"}),
        WORK_BODY,
        201,
    ),
    Route("profile-read", "get", lambda w: (f"/target-profiles/{_profile(w)}", None), READ),
    Route(
        "profile-edit",
        "patch",
        lambda w: (f"/target-profiles/{_profile(w)}", {"policy_asks": "用地"}),
        WORK,
    ),
    Route("terms", "get", lambda w: (after(_terms(w), "/project-terms"), None), READ_LIST),
    Route(
        "terms-create",
        "post",
        lambda w: ("/project-terms", {"opportunity_id": _project(w), "jobs": 10}),
        WORK_BODY,
        201,
    ),
    Route("terms-read", "get", lambda w: (f"/project-terms/{_terms(w)}", None), READ),
    Route("terms-edit", "patch", lambda w: (f"/project-terms/{_terms(w)}", {"jobs": 12}), WORK),
]


def stored() -> list[Any]:
    models = (TargetProfile, ProjectTerms, Opportunity)
    return [list(model.objects.order_by("pk").values()) for model in models]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_each_persona_gets_what_its_role_allows(
    world: World, api: dict[str, ApiClient], route: Route, persona: str
) -> None:
    path, body = route.build(world)
    client = api.get(persona) or ApiClient(None)
    before = stored()
    if route.method == "get":
        response = client.get(path)
    else:
        response = getattr(client, route.method)(path, body)
    expected = route.refusals.get(persona, route.ok)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"]
        assert stored() == before
    if route.refusals is READ_LIST and persona == "other_kam":
        assert response.json()["count"] == 0


@pytest.mark.parametrize("path", ["/target-profiles", "/project-terms"])
def test_a_second_profile_or_terms_is_a_conflict_and_changes_nothing(
    world: World, api: dict[str, ApiClient], path: str
) -> None:
    if path == "/target-profiles":
        TargetProfile.objects.create(account=world.account, policy_asks="原样")
        body: dict[str, Any] = {"account_id": world.account.pk, "policy_asks": "改"}
    else:
        body = {"opportunity_id": _terms(world), "jobs": 5}
    before = stored()
    answer = api["kam"].post(path, body)
    assert (answer.status_code, answer.json()["code"]) == (409, "conflict")
    assert stored() == before


def test_reading_what_has_no_profile_or_terms_is_a_404(
    world: World, api: dict[str, ApiClient]
) -> None:
    project = opportunity(world.account, close=dt.date(2026, 9, 1))
    assert api["kam"].get(f"/target-profiles/{world.account.pk}").status_code == 404
    assert api["kam"].get(f"/project-terms/{project.pk}").status_code == 404
    assert api["kam"].patch(f"/project-terms/{project.pk}", {"jobs": 1}).status_code == 404
    assert not ProjectTerms.objects.exists()
