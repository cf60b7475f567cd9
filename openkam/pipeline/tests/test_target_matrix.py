"""The target enterprises on the attractiveness x strength matrix: attractiveness is the
promotion score of a target's best project not lost, strength 60 % its most advanced
project's stage probability and 40 % its decision-makers met in the last year; positions and
quadrants pinned to hand-computed values, what each user sees, and the page in both
languages with the chart's data."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ContactFactory
from openkam.interactions.models import Interaction
from openkam.pipeline import promotion, selectors
from openkam.pipeline.models import ProjectTerms, Stage, TargetProfile
from openkam.pipeline.tests.builders import opportunity

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _met(account: Any, contact: Any, day: dt.date) -> None:
    visit = Interaction.objects.create(
        account=account, subject="实地考察", status="done",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    )  # fmt: skip
    visit.their_participants.add(contact)


def _office(world: World) -> dict[str, Any]:
    strong = world.account
    project = opportunity(strong, amount="800000000", stage=Stage.NEGOTIATION, title="整车基地")
    opportunity(strong, amount="9000000000", stage=Stage.LOST, title="丢了的")
    ProjectTerms.objects.create(
        opportunity=project, land_mu=Decimal(100), annual_tax=Decimal(50_000_000), park_fit=5
    )
    TargetProfile.objects.create(account=strong, technology_level=5)
    chairman = ContactFactory.create(account=strong, name="王董事长")
    ContactFactory.create(account=strong, name="李副总")
    ContactFactory.create(account=strong, name="离职的", is_active=False)
    _met(strong, chairman, dt.date(2026, 5, 1))
    early = ContactFactory.create(account=strong, name="去年见过")
    _met(strong, early, dt.date(2025, 5, 1))  # more than a year ago: not counted
    small = AccountFactory.create(team=world.team, owner=world.kam, legal_name="小配套厂")
    opportunity(small, amount="100000000", stage=Stage.LEAD, title="小项目")
    big = AccountFactory.create(team=world.team, owner=world.kam, legal_name="大而未熟")
    opportunity(big, amount="1000000000", stage=Stage.SITE_VISIT, title="大项目")
    opportunity(world.other_account, amount="1000000000", stage=Stage.SIGNED, title="别队")
    return {"strong": strong, "small": small, "big": big}


def test_targets_are_placed_by_hand_computed_attractiveness_and_strength(world: World) -> None:
    office = _office(world)
    found = promotion.target_matrix(selectors.opportunities_visible_to(world.kam), today=TODAY)
    placed = {p.account.pk: (p.attractiveness, p.chance, p.met, p.strength, p.quadrant)
              for p in found.points}  # fmt: skip
    # Strong: investment 8 亿/10 亿 = 80 (x30), tax per mu 50 万 = 100 (x25), no supplier 0
    # (x20), technology 5 = 100 (x15), fit 5 = 100 (x10): 74.0. Negotiation 75 %; 1 of the 3
    # active contacts met within the year: 33.3 %; strength 0.6 x 75 + 0.4 x 33.3 = 58.3.
    assert placed[office["strong"].pk] == (74.0, 75, 33.3, 58.3, "key_account")
    # Small: investment 10 (x30) and leverage 0 (x20) known: 300 / 50 = 6.0; lead 5 %, no
    # contact recorded: strength 5.0.
    assert placed[office["small"].pk] == (6.0, 5, None, 5.0, "opportunistic")
    # Big: 100 x 30 / 50 = 60.0; site visit 35 %.
    assert placed[office["big"].pk] == (60.0, 35, None, 35.0, "key_development")
    assert world.other_account.pk not in placed
    assert found.counts == {
        "key_account": 1, "key_development": 1, "maintenance": 0, "opportunistic": 1,
    }  # fmt: skip
    assert [p.account.pk for p in found.points] == [
        office["strong"].pk, office["big"].pk, office["small"].pk,
    ]  # fmt: skip
    assert found.chart()["points"][0] == [58.3, 74.0, office["strong"].pk, "key_account",
                                          str(office["strong"])]  # fmt: skip


def test_the_quadrant_cuts_at_fifty_on_both_axes() -> None:
    assert promotion.quadrant_of(50, 50) == "key_account"
    assert promotion.quadrant_of(49.9, 50) == "maintenance"
    assert promotion.quadrant_of(50, 49.9) == "key_development"
    assert promotion.quadrant_of(0, 0) == "opportunistic"
    assert promotion.target_strength(100, 0.0) == 60.0
    assert promotion.target_strength(35, None) == 35.0


def test_the_executive_sees_every_team_and_another_kam_none_of_ours(world: World) -> None:
    _office(world)
    everything = promotion.target_matrix(
        selectors.opportunities_visible_to(world.executive), today=TODAY
    )
    assert len(everything.points) == 4
    theirs = promotion.target_matrix(
        selectors.opportunities_visible_to(world.other_kam), today=TODAY
    )
    assert [p.account.pk for p in theirs.points] == [world.other_account.pk]


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ("吸引力", "优先落地", "重点培育", "目标企业矩阵")),
     ("en", ("Attractiveness", "Land it", "Build the relationship", "Target matrix"))],
)  # fmt: skip
def test_the_page_draws_the_matrix_in_both_languages(
    world: World, frozen: dt.date, language: str, words: tuple[str, ...], settings: Any
) -> None:
    settings.OPENKAM_MODE = "promotion"
    office = _office(world)
    client = client_for(world.kam)
    client.cookies["django_language"] = language
    response = client.get(reverse("pipeline:matrix"))
    assert response.status_code == 200
    page = response.content.decode()
    for word in words:
        assert word in page, word
    data = json.loads(page.split('id="target-matrix-data" type="application/json">')[1]
                      .split("</script>")[0])  # fmt: skip
    assert data["x_cut"] == data["y_cut"] == 50.0
    assert {point[2] for point in data["points"]} == {a.pk for a in office.values()}
    assert page.count('data-testid="matrix-row"') == 3
    assert "别队" not in page


def test_with_no_project_the_page_says_so(world: World, settings: Any) -> None:
    settings.OPENKAM_MODE = "promotion"
    page = client_for(world.kam).get(reverse("pipeline:matrix")).content.decode()
    assert 'id="target-matrix-data"' not in page
    assert 'data-testid="matrix-row"' not in page
    assert 'data-testid="target-matrix"' in page


@pytest.mark.usefixtures("english")
def test_the_sales_mode_points_to_the_portfolio_matrix(world: World) -> None:
    _office(world)
    page = client_for(world.kam).get(reverse("pipeline:matrix")).content.decode()
    assert "portfolio matrix (attractiveness x our strength) is on the dashboard." in page
    assert f'href="{reverse("home")}" data-testid="link-portfolio-matrix"' in page
    assert 'data-testid="matrix-row"' not in page
    assert 'data-testid="tab-matrix"' in page  # the page's own tab, even in the sales mode
