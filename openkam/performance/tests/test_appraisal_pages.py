"""The appraisal pages: the director opens and rates a KAM's form, the KAM comments and both
sign; who reads a form (the KAM, the team's director, executives) and who is refused (another
KAM, analysts, viewers: 404); a KAM may not set weights (403) nor rate; nothing saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.performance.appraisals import appraisal_open
from openkam.performance.models import Appraisal, AppraisalStatus, KpiWeight

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def form(world: World) -> Appraisal:
    return appraisal_open(user=world.director, kam=world.kam, period="2026-Q3")


def test_the_director_opens_rates_and_both_sign(world: World) -> None:
    director, kam = client_for(world.director), client_for(world.kam)
    listed = director.get(reverse("performance:appraisals"), {"period": "2026-Q3"}).content.decode()
    assert f'data-kam="{world.kam.pk}"' in listed
    assert 'data-testid="start-form"' in listed
    response = director.post(
        reverse("performance:appraisal_open"), {"kam": world.kam.pk, "period": "2026-Q3"}
    )
    opened = Appraisal.objects.get(kam=world.kam, period="2026-Q3")
    assert response["Location"] == reverse("performance:appraisal", args=[opened.pk])
    edit = reverse("performance:appraisal_edit", args=[opened.pk])
    director.post(edit, {"attitude": "4", "teamwork": "5", "manager_comment": "稳定"})
    kam.post(edit, {"kam_comment": "同意评价"})
    kam.post(reverse("performance:appraisal_sign", args=[opened.pk]))
    director.post(reverse("performance:appraisal_sign", args=[opened.pk]))
    opened.refresh_from_db()
    assert opened.status == AppraisalStatus.CLOSED
    assert opened.ratings == {"attitude": 4, "teamwork": 5}
    assert opened.kam_comment == "同意评价"
    page = kam.get(reverse("performance:appraisal", args=[opened.pk])).content.decode()
    assert page.count('data-testid="appraisal-line"') == 10
    assert page.count('data-testid="history-entry"') == 5
    assert "Signed by the KAM" in page
    assert 'data-testid="sign"' not in page
    assert "Closed" in page


@pytest.mark.parametrize("who", ["executive", "director", "kam"])
def test_the_kam_their_director_and_executives_read_the_form(
    world: World, form: Appraisal, who: str
) -> None:
    response = client_for(getattr(world, who)).get(reverse("performance:appraisal", args=[form.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other_kam", "analyst", "viewer"])
def test_nobody_else_reads_or_writes_the_form(world: World, form: Appraisal, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(reverse("performance:appraisal", args=[form.pk])).status_code == 404
    edit = client.post(
        reverse("performance:appraisal_edit", args=[form.pk]), {"kam_comment": "x", "attitude": "1"}
    )
    sign = client.post(reverse("performance:appraisal_sign", args=[form.pk]))
    assert (edit.status_code, sign.status_code) == (404, 404)
    form.refresh_from_db()
    assert (form.ratings, form.kam_comment, form.status) == ({}, "", AppraisalStatus.DRAFT)


def test_anonymous_is_sent_to_log_in(form: Appraisal) -> None:
    assert Client().get(reverse("performance:appraisal", args=[form.pk])).status_code == 302


def test_the_kam_may_not_rate_themselves(world: World, form: Appraisal) -> None:
    response = client_for(world.kam).post(
        reverse("performance:appraisal_edit", args=[form.pk]), {"attitude": "5"}
    )
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.ratings == {}


def test_the_kam_may_not_open_their_own_form(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("performance:appraisal_open"), {"kam": world.kam.pk, "period": "2026"}
    )
    assert response.status_code == 403
    assert not Appraisal.objects.exists()


WEIGHTS = {"weight_sales": "70", "weight_margin_rate": "30", "target_margin_rate": "0.2"}


def test_the_director_sets_the_teams_weights(world: World) -> None:
    url = reverse("performance:weights")
    response = client_for(world.director).post(url, {**WEIGHTS, "team": world.team.pk})
    assert response.status_code == 302
    assert dict(KpiWeight.objects.filter(team=world.team).values_list("kpi", "weight")) == {
        "sales": Decimal(70),
        "margin_rate": Decimal(30),
    }


@pytest.mark.parametrize(("who", "team", "status"), [
    ("kam", "team", 403), ("viewer", "team", 403), ("analyst", None, 403),
    ("director", None, 403), ("director", "other_team", 404), ("other_kam", "team", 404),
])  # fmt: skip
def test_others_may_not_set_weights(world: World, who: str, team: str | None, status: int) -> None:
    data = {**WEIGHTS, **({"team": getattr(world, team).pk} if team else {})}
    response = client_for(getattr(world, who)).post(reverse("performance:weights"), data)
    assert response.status_code == status
    assert not KpiWeight.objects.exists()


def test_weights_not_adding_up_are_refused_naming_the_reason(world: World) -> None:
    response = client_for(world.executive).post(
        reverse("performance:weights"), {"weight_sales": "50"}, follow=True
    )
    assert "The weights must add up to 100; they add up to 50." in response.content.decode()
    assert not KpiWeight.objects.exists()


def test_the_form_reads_in_a_fixed_number_of_queries(
    world: World, form: Appraisal, django_assert_num_queries: Any
) -> None:
    client = client_for(world.director)
    url = reverse("performance:appraisal", args=[form.pk])
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
