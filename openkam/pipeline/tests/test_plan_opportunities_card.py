"""The plan page's opportunities card (loaded after the page from the pipeline): the account's
open opportunities and those linked to this plan's objectives (closed ones too), linked first,
with amount, stage, expected close and weighted amount; an empty state with the link to open
one; another team's plan is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.pipeline.models import Stage
from openkam.pipeline.tests.builders import opportunity
from openkam.plans.tests import builders as plans

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _rows(page: str) -> list[str]:
    return [row.split("</a>")[0].rsplit(">", 1)[1]
            for row in page.split('data-testid="plan-opportunity"')[1:]]  # fmt: skip


def test_the_card_lists_linked_then_open_opportunities_with_the_weighted_amount(
    world: World,
) -> None:
    plan = plans.plan(world.account)
    goal = plans.objective(plan, description="份额提升到 30%")
    other_plan = plans.plan(world.account, year=2025)
    opportunity(world.account, title="开放的", amount="200000", stage=Stage.QUOTATION,
                close=dt.date(2026, 8, 1))  # fmt: skip
    opportunity(world.account, title="赢了的", amount="400000", stage=Stage.WON, objective=goal,
                close=dt.date(2026, 9, 1))  # fmt: skip
    opportunity(world.account, title="别的计划赢单", stage=Stage.WON,
                objective=plans.objective(other_plan))  # fmt: skip
    opportunity(world.account, title="输了的", stage=Stage.LOST)
    opportunity(world.other_account, title="别队的")
    response = client_for(world.kam).get(reverse("pipeline:plan-opportunities", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert _rows(page) == ["赢了的", "开放的"]
    assert "份额提升到 30%" in page
    # Won: 400,000 x 100 %; quotation: 200,000 x 50 % = 100,000; together 600,000 / 500,000.
    weighted = [cell.split(">", 1)[1].split("<")[0]
                for cell in page.split('data-testid="plan-opportunity-weighted"')[1:]]  # fmt: skip
    assert weighted == ["¥400K", "¥100K"]
    assert "¥600K · Weighted ¥500K" in page
    assert 'data-testid="plan-create-opportunity"' in page


def test_an_account_without_opportunities_shows_the_way_to_open_one(world: World) -> None:
    plan = plans.plan(world.account)
    page = client_for(world.kam).get(reverse("pipeline:plan-opportunities", args=[plan.pk]))
    text = page.content.decode()
    assert "No open opportunity with this account" in text
    assert f"{reverse('pipeline:create')}?account={world.account.pk}" in text
    viewer = client_for(world.viewer).get(reverse("pipeline:plan-opportunities", args=[plan.pk]))
    assert viewer.status_code == 200
    assert 'data-testid="plan-create-opportunity"' not in viewer.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("executive", 200), ("director", 200), ("kam", 200), ("other_kam", 404),
     ("analyst", 200), ("viewer", 200), ("anonymous", 302)],
)  # fmt: skip
def test_each_persona_reads_the_card_of_the_plans_it_sees(
    world: World, persona: str, status: int
) -> None:
    plan = plans.plan(world.account)
    opportunity(world.account, title="开放的")
    client = Client() if persona == "anonymous" else client_for(getattr(world, persona))
    response = client.get(reverse("pipeline:plan-opportunities", args=[plan.pk]))
    assert response.status_code == status
    if status == 200:
        assert _rows(response.content.decode()) == ["开放的"]


def test_the_plan_page_loads_the_card(world: World) -> None:
    plan = plans.plan(world.account)
    page = client_for(world.kam).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert f'hx-get="{reverse("pipeline:plan-opportunities", args=[plan.pk])}"' in page
