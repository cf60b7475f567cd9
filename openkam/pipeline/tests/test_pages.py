"""The pipeline pages: the board by stage with stale cards flagged, moving a card by its form
(the keyboard's way) or by the board's POST (the drag's), the list with filters, sorting and
pages, the figures, the detail with its history, the account page's card; refusals by persona
save nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.pipeline.models import Opportunity, StageChange
from openkam.pipeline.tests.builders import opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _stored() -> list[object]:
    return [list(Opportunity.objects.values()), list(StageChange.objects.values())]


def test_the_board_shows_open_cards_by_stage_and_flags_stale_ones(world: World) -> None:
    fresh = opportunity(world.account, title="新梯", stage="quotation")
    old = opportunity(world.account, title="旧梯")
    Opportunity.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    opportunity(world.other_account, title="别队")
    page = client_for(world.kam).get(reverse("pipeline:board")).content.decode()
    assert "新梯" in page
    assert "旧梯" in page
    assert "别队" not in page
    quotation = page.split('data-testid="column-quotation"')[1].split('data-testid="column-')[0]
    assert f'data-testid="card-{fresh.pk}"' in quotation
    assert page.count('data-testid="stale-badge"') == 1
    assert "No change in 30 days" in page


def test_the_card_form_moves_it_and_htmx_reloads_the_board(world: World) -> None:
    deal = opportunity(world.account)
    response = client_for(world.kam).post(
        reverse("pipeline:move", args=[deal.pk]),
        {"stage": "solution_design", "from": "board"},
        headers={"HX-Request": "true"},
    )
    assert (response.status_code, response["HX-Refresh"]) == (204, "true")
    assert Opportunity.objects.get().stage == "solution_design"
    assert StageChange.objects.filter(to_stage="solution_design", user=world.kam).count() == 1


def test_lost_without_a_reason_is_refused_with_the_sentence(world: World) -> None:
    deal = opportunity(world.account)
    before = _stored()
    response = client_for(world.kam).post(
        reverse("pipeline:move", args=[deal.pk]), {"stage": "lost"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Say why the opportunity was lost." in response.content.decode()
    assert _stored() == before


@pytest.mark.parametrize(("persona", "status"), [("other_kam", 404), ("viewer", 403),
                                                   ("analyst", 403)])  # fmt: skip
def test_a_move_by_who_may_not_is_refused_and_saves_nothing(
    world: World, persona: str, status: int
) -> None:
    deal = opportunity(world.account)
    before = _stored()
    response = client_for(getattr(world, persona)).post(
        reverse("pipeline:move", args=[deal.pk]), {"stage": "quotation"}
    )
    assert response.status_code == status
    assert _stored() == before


def test_the_list_filters_sorts_and_pages(world: World) -> None:
    for i in range(27):
        opportunity(world.account, title=f"机会{i:02d}", amount=str(1000 + i),
                    close=dt.date(2026, 7 + i % 2, 1))  # fmt: skip
    opportunity(world.account, title="谈判中", stage="negotiation", close=dt.date(2026, 9, 1))
    client = client_for(world.kam)
    url = reverse("pipeline:list")
    first = client.get(url, {"sort": "-amount"}).content.decode()
    assert first.count('data-testid="list-row"') == 25
    assert first.index("机会26") < first.index("机会25")
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="list-row"') == 3
    assert client.get(url, {"stage": "negotiation"}).content.decode().count("list-row") == 1
    assert client.get(url, {"month": "2026-08"}).content.decode().count("list-row") == 13
    assert client.get(url, {"q": "nothing-like-it"}).content.decode().count("list-row") == 0
    assert "No opportunities match" in client.get(url, {"q": "nothing"}).content.decode()


def test_the_figures_show_the_weighted_pipeline_per_kam(world: World) -> None:
    opportunity(world.account, amount="200000", stage="quotation")  # 100,000 weighted
    opportunity(world.other_account, amount="80000", stage="negotiation")  # 60,000
    page = client_for(world.executive).get(reverse("pipeline:figures")).content.decode()
    owner = page.split('data-testid="weighted-owner"')[1].split('data-testid="weighted-team"')[0]
    assert "¥100K" in owner
    assert "¥60K" in owner
    director = client_for(world.director).get(reverse("pipeline:figures")).content.decode()
    assert "¥60K" not in director


def test_the_detail_shows_probability_weighted_and_the_stage_log(world: World) -> None:
    deal = opportunity(world.account, amount="200000", stage="negotiation")
    page = client_for(world.viewer).get(reverse("pipeline:detail", args=[deal.pk]))
    body = page.content.decode()
    assert '<div class="datagrid-content" data-testid="probability">75%</div>' in body
    assert "¥150K" in body
    assert body.count('data-testid="stage-change"') == 1
    assert 'data-testid="move-form"' not in body  # a viewer reads only


def test_the_edit_page_changes_the_amount(world: World) -> None:
    deal = opportunity(world.account)
    client = client_for(world.kam)
    response = client.post(
        reverse("pipeline:edit", args=[deal.pk]),
        {"title": "改名", "amount": "5000", "expected_close": "2026-10-01",
         "owner_id": world.kam.pk, "next_step": "技术交流"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Opportunity.objects.values_list("title", "amount").get() == ("改名", Decimal("5000"))


def test_creating_from_the_account_page_presets_the_account(world: World) -> None:
    client = client_for(world.kam)
    form = client.get(reverse("pipeline:create"), {"account": world.account.pk}).content.decode()
    assert f'<option value="{world.account.pk}" selected>' in form
    response = client.post(
        reverse("pipeline:create"),
        {"account_id": world.account.pk, "title": "新项目", "amount": "100",
         "expected_close": "2026-10-01", "stage": "quotation", "owner_id": world.kam.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Opportunity.objects.values_list("stage", "owner").get() == ("quotation", world.kam.pk)


def test_another_teams_account_cannot_be_chosen(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("pipeline:create"),
        {"account_id": world.other_account.pk, "title": "x", "amount": "1",
         "expected_close": "2026-10-01", "stage": "quotation"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Opportunity.objects.exists()


def test_the_account_page_shows_its_open_opportunities(world: World) -> None:
    opportunity(world.account, title="开着的", stage="quotation")
    opportunity(world.account, title="赢了的", stage="won")
    page = client_for(world.kam).get(reverse("accounts:tab", args=[world.account.pk, "cards"]))
    card = page.content.decode().split('data-testid="account-opportunities-card"')[1]
    card = card.split('data-testid="create-opportunity"')[0]
    assert "开着的" in card
    assert "赢了的" not in card


def test_only_an_executive_changes_the_probabilities(world: World) -> None:
    url = reverse("pipeline:probabilities")
    values = {"needs_analysis": "5", "solution_design": "20", "quotation": "40",
              "negotiation": "70", "won": "100", "lost": "0"}  # fmt: skip
    assert client_for(world.director).post(url, values).status_code == 403
    assert client_for(world.executive).post(url, {**values, "won": "x"}).status_code == 400
    assert client_for(world.executive).post(url, values).status_code == 302
    page = client_for(world.kam).get(url).content.decode()
    assert 'value="40"' in page
    assert "readonly" in page


def test_anonymous_is_sent_to_log_in() -> None:
    assert Client().get(reverse("pipeline:board")).status_code == 302
