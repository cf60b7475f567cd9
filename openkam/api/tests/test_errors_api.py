"""Every error is the same JSON shape, with our sentences in the request's language."""

from __future__ import annotations

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World

pytestmark = pytest.mark.django_db
SHAPE = {"code", "detail", "errors"}


def test_every_kind_of_error_has_the_same_shape(world: World, api: dict[str, ApiClient]) -> None:
    responses = {
        401: ApiClient(None).get("/accounts"),
        403: api["viewer"].post("/accounts", {"legal_name": "X"}),
        404: api["exec"].get("/accounts/999999"),
        422: api["exec"].post("/accounts", {}),
    }
    for status, response in responses.items():
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == SHAPE


def test_a_body_that_is_not_json_is_a_validation_error(api: dict[str, ApiClient]) -> None:
    response = api["exec"].client.post(
        "/api/v1/accounts",
        data="{not json",
        content_type="application/json",
        headers=api["exec"].headers,
    )
    assert response.status_code in (400, 422)
    assert set(response.json()) == SHAPE


def test_messages_follow_accept_language(world: World, api: dict[str, ApiClient]) -> None:
    english = api["exec"].post("/accounts", {}, Accept_Language="en").json()
    chinese = api["exec"].post("/accounts", {}, Accept_Language="zh-hans").json()
    assert english["detail"] == "The request is not valid."
    assert english["errors"][0]["message"] == "This field is required."
    assert chinese["detail"] == "请求数据有误。"
    assert chinese["errors"][0]["message"] == "此字段为必填项。"
    assert chinese["errors"][0]["field"] == english["errors"][0]["field"] == "legal_name"


def test_model_messages_are_translated_too(world: World, api: dict[str, ApiClient]) -> None:
    body = (
        api["exec"]
        .post("/accounts", {"legal_name": "X", "website": "nope"}, Accept_Language="zh-hans")
        .json()
    )
    assert body["errors"][0]["field"] == "website"
    assert body["errors"][0]["message"] == "输入一个有效的 URL。"


def test_refusals_are_translated(world: World, api: dict[str, ApiClient]) -> None:
    body = api["viewer"].post("/accounts", {"legal_name": "X"}, Accept_Language="zh-hans").json()
    assert body == {"code": "forbidden", "detail": "您无权执行此操作。", "errors": []}
    body = ApiClient(None).get("/accounts", Accept_Language="en").json()
    assert body["detail"] == "Authentication required: send a valid API token or log in."
