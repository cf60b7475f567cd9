"""/api/v1/surveys, /survey-campaigns, /survey-responses: read, and enter a phone interview's
answers; every route tried by every persona (another team: 404, or 422 when the body names its
recipient; readers: 403; no token: 401), nothing saved on refusal."""

from __future__ import annotations

import pytest

from openkam.api.tests.conftest import ApiClient, api
from openkam.conftest import World
from openkam.interactions.models import Interaction
from openkam.surveys.models import Response
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db
__all__ = ["api"]

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
OK = 200


def _objects(world: World) -> dict[str, int]:
    made = campaign()
    done = answer(made, contact(world.account, name="王总"), 9)
    waiting, _token = recipient(made, contact(world.account, name="李工"))
    return {"campaign": made.pk, "response": done.pk, "recipient": waiting.pk}


def test_answers_entered_through_the_api_are_marked_and_followed_up(
    world: World, api: dict[str, ApiClient]
) -> None:
    ids = _objects(world)
    made = api["kam"].post(
        "/survey-responses",
        {"recipient_id": ids["recipient"], "channel": "phone", "csat_product": 2, "nps": 3,
         "comment": "交期不稳"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["channel"], body["entered_by_id"], body["category"]) == (
        "phone", world.kam.pk, "detractor",
    )  # fmt: skip
    assert body["follow_up_id"] == Interaction.objects.get().pk
    listed = api["viewer"].get("/survey-responses", {"campaign_id": ids["campaign"]}).json()
    assert {row["nps"] for row in listed["items"]} == {9, 3}
    campaigns = api["kam"].get("/survey-campaigns").json()["items"]
    assert [(c["invited"], c["answered"]) for c in campaigns] == [(2, 2)]
    templates = api["viewer"].get("/surveys").json()
    assert templates[0]["is_default"] is True
    assert "推荐" in templates[0]["nps"]


def test_bad_answers_are_422_naming_the_field(world: World, api: dict[str, ApiClient]) -> None:
    ids = _objects(world)
    for body in ({"recipient_id": ids["recipient"], "nps": 11},
                 {"recipient_id": ids["recipient"], "nps": 5, "csat_sales": 0},
                 {"recipient_id": ids["recipient"], "nps": 5, "channel": "link"}):  # fmt: skip
        refused = api["kam"].post("/survey-responses", body)
        assert refused.status_code == 422
    assert Response.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_its_role_allows(
    world: World, api: dict[str, ApiClient], persona: str
) -> None:
    ids = _objects(world)
    client = api.get(persona) or ApiClient(None)
    unseen = {"other_kam": 404, "anonymous": 401}
    reads = {
        f"/survey-campaigns/{ids['campaign']}": unseen,
        f"/survey-responses/{ids['response']}": unseen,
        "/survey-campaigns": {"anonymous": 401},
        "/survey-responses": {"anonymous": 401},
        "/surveys": {"anonymous": 401},
    }
    for path, refusals in reads.items():
        got = client.get(path)
        assert got.status_code == refusals.get(persona, OK), (path, got.content)
    if persona == "other_kam":  # another team's lists are empty
        assert client.get("/survey-responses").json()["items"] == []
        assert client.get("/survey-campaigns").json()["items"] == []
    write = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}
    before = (Response.objects.count(), Interaction.objects.count())
    sent = client.post("/survey-responses", {"recipient_id": ids["recipient"], "nps": 2})
    assert sent.status_code == write.get(persona, 201), sent.content
    if persona in write:
        assert (Response.objects.count(), Interaction.objects.count()) == before
    if persona == "other_kam":
        assert sent.json()["errors"][0]["field"] == "recipient_id"
