"""One alert's page: its sentence, figures and history for whoever sees the account, the
work forms for its writers only, 404 for another team, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.alerts.services import alert_acknowledge, alert_dismiss
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(pk: int) -> str:
    return reverse("alerts:detail", args=[pk])


@pytest.mark.parametrize("who", ["kam", "director", "executive", "viewer", "analyst"])
def test_whoever_sees_the_account_reads_the_alert(world: World, who: str) -> None:
    found = alert(world.account)
    response = client_for(getattr(world, who)).get(url(found.pk))
    assert response.status_code == 200
    assert "Payment behaviour worsening" in response.content.decode()


def test_another_teams_kam_gets_404(world: World) -> None:
    assert client_for(world.other_kam).get(url(alert(world.account).pk)).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_get_no_work_forms(world: World, who: str) -> None:
    body = client_for(getattr(world, who)).get(url(alert(world.account).pk)).content.decode()
    assert 'data-testid="resolve-form"' not in body
    assert "You read this alert" in body


def test_only_the_director_and_executives_get_the_reassign_form(world: World) -> None:
    found = alert(world.account)
    assert (
        'data-testid="assign-form"'
        in client_for(world.director).get(url(found.pk)).content.decode()
    )
    assert (
        'data-testid="assign-form"' not in client_for(world.kam).get(url(found.pk)).content.decode()
    )


def test_the_history_lists_every_change_with_who_made_it(world: World) -> None:
    found = alert(world.account)
    alert_acknowledge(user=world.kam, alert=found)
    alert_dismiss(user=world.kam, alert=found, reason="客户已付清")
    response = client_for(world.kam).get(url(found.pk))
    rows = [(c.what, c.state, c.note) for c in response.context["history"]]
    assert rows[:2] == [
        ("Dismissed", "Dismissed", "客户已付清"),
        ("Acknowledged", "Acknowledged", ""),
    ]


def test_the_page_keeps_a_place_for_other_apps_actions(world: World) -> None:
    source = open(  # noqa: SIM115
        "openkam/alerts/templates/alerts/detail.html", encoding="utf-8"
    ).read()
    assert "{% block alert_actions_extra %}" in source


# Session, user, the alert with account and assignee, the account's team (may_decide), the
# history with its users, the assignable users (Django's select iterates its choices twice).
QUERIES = 7


@pytest.mark.parametrize("changes", [0, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries, changes: int
) -> None:
    found = alert(world.account)
    for i in range(changes):
        found.level = 1 + i % 3
        found.save()
    client = client_for(world.director)
    with django_assert_num_queries(QUERIES):
        assert client.get(url(found.pk)).status_code == 200
