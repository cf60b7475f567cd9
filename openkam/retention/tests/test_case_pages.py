"""The win-back pages tried by every persona: the account's KAM, its team's director and an
executive open, edit and close cases and add actions; another team's KAM finds nothing (404);
analysts and viewers read and are refused every write (403) with nothing saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import LifecycleStage
from openkam.conftest import World, client_for
from openkam.retention.models import WinBackAction, WinBackCase
from openkam.retention.tests.builders import case, churn_alert

pytestmark = pytest.mark.django_db

PERSONAS = ("executive", "director", "kam", "other_kam", "analyst", "viewer")
READ = {"other_kam": 404}
WRITE = {"other_kam": 404, "analyst": 403, "viewer": 403}
# A form page: readers are refused its GET too (it is a write's form).
FORM = WRITE
# Session, user, the case with its account, team, owner and alert, its actions with their
# owners, the two histories, the owners to choose from.
QUERIES_CASE_PAGE = 7


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    url: Callable[[World], str]
    data: dict[str, Any]
    refusals: dict[str, int]
    ok: int


def _case(world: World) -> WinBackCase:
    return WinBackCase.objects.get(account=world.account)


def _today() -> str:
    return timezone.localdate().isoformat()


PAGES = [
    Page("detail", "get", lambda w: reverse("retention:detail", args=[_case(w).pk]), {}, READ,
         200),
    Page("create form", "get",
         lambda w: reverse("retention:create", args=[churn_alert(w.account).pk]), {}, FORM, 302),
    Page("edit form", "get", lambda w: reverse("retention:edit", args=[_case(w).pk]), {}, FORM,
         200),
    Page("edit", "post", lambda w: reverse("retention:edit", args=[_case(w).pk]),
         {"cause": "delivery", "owner_id": "{kam}", "notes": "交期", "offer": ""}, WRITE, 302),
    Page("outcome form", "get", lambda w: reverse("retention:outcome", args=[_case(w).pk]), {},
         FORM, 200),
    Page("outcome", "post", lambda w: reverse("retention:outcome", args=[_case(w).pk]),
         {"outcome": "retained", "outcome_on": "{today}"}, WRITE, 302),
    Page("add action", "post", lambda w: reverse("retention:action_add", args=[_case(w).pk]),
         {"title": "高层拜访", "owner_id": "{kam}", "due_on": "{today}"}, WRITE, 302),
    Page("lifecycle", "get", lambda w: reverse("retention:lifecycle", args=[w.account.pk]), {},
         READ, 200),
    Page("override", "post", lambda w: reverse("retention:lifecycle", args=[w.account.pk]),
         {"stage": "deepening", "reason": "新项目启动"}, WRITE, 302),
]  # fmt: skip


def _rows() -> tuple[Any, ...]:
    return (
        list(WinBackCase.objects.values()),
        list(WinBackAction.objects.values()),
        WinBackCase.history.count(),
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_its_role_allows(world: World, page: Page, persona: str) -> None:
    case(world.account)
    client = client_for(getattr(world, persona))
    url = page.url(world)
    values = {"kam": str(world.kam.pk), "today": _today()}
    data = {k: v.format(**values) for k, v in page.data.items()}
    before = _rows()
    response = client.get(url) if page.method == "get" else client.post(url, data)
    expected = page.refusals.get(persona, page.ok)
    assert response.status_code == expected, response.content[:500]
    if expected in (403, 404):
        assert _rows() == before


def test_the_create_page_of_an_account_with_an_open_case_leads_to_it(world: World) -> None:
    existing = case(world.account)
    response = client_for(world.kam).get(
        reverse("retention:create", args=[churn_alert(world.account).pk])
    )
    assert response.status_code == 302
    assert response["Location"] == existing.get_absolute_url()


def test_a_kam_opens_a_case_from_a_churn_alert(world: World, english: None) -> None:
    raised = churn_alert(world.account)
    url = reverse("retention:create", args=[raised.pk])
    client = client_for(world.kam)
    form = client.get(url)
    assert form.status_code == 200
    assert b'data-testid="case-form"' in form.content
    response = client.post(url, {"cause": "competitor", "owner_id": world.kam.pk,
                                 "notes": "对手报价低 8%", "offer": "年度返利 2%"})  # fmt: skip
    opened = WinBackCase.objects.get()
    assert response["Location"] == opened.get_absolute_url()
    assert (opened.alert, opened.cause, opened.offer) == (raised, "competitor", "年度返利 2%")
    world.account.refresh_from_db()
    assert world.account.lifecycle_stage == LifecycleStage.WIN_BACK
    page = client.get(opened.get_absolute_url())
    assert "年度返利 2%" in page.content.decode()


def test_a_missing_cause_is_shown_on_the_form_and_nothing_is_saved(world: World) -> None:
    url = reverse("retention:create", args=[churn_alert(world.account).pk])
    response = client_for(world.kam).post(url, {"owner_id": world.kam.pk})
    assert response.status_code == 200
    assert b'data-testid="error-cause"' in response.content
    assert not WinBackCase.objects.exists()


def test_a_future_outcome_date_is_refused_on_the_form(world: World) -> None:
    opened = case(world.account, opened_on=timezone.localdate())
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(world.kam).post(
        reverse("retention:outcome", args=[opened.pk]),
        {"outcome": "lost", "outcome_on": tomorrow},
    )
    assert response.status_code == 200
    assert b'data-testid="error-outcome_on"' in response.content
    assert WinBackCase.objects.get().outcome == ""


def test_the_week_card_marks_an_action_done_in_place(world: World) -> None:
    action = WinBackAction.objects.create(
        case=case(world.account), title="报价", owner=world.kam, due_on=timezone.localdate()
    )
    client: Client = client_for(world.kam)
    week = client.get(reverse("interactions:my_week"))
    assert b'data-testid="week-winback-action"' in week.content
    response = client.post(
        reverse("retention:action_status", args=[action.pk]), {"status": "done"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"text-decoration-line-through" in response.content
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", timezone.localdate())


def test_the_case_page_costs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    opened = case(world.account, alert=churn_alert(world.account))
    for title in ("报价", "拜访", "复盘"):
        WinBackAction.objects.create(
            case=opened, title=title, owner=world.kam, due_on=timezone.localdate()
        )
    client = client_for(world.kam)
    client.get(opened.get_absolute_url())
    with django_assert_num_queries(QUERIES_CASE_PAGE):
        response = client.get(opened.get_absolute_url())
    assert response.content.decode().count('data-testid="action-row"') == 3
