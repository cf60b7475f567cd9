"""Writing cases from the pages: a writer opens, edits, resolves and moves a case; every
refusal (another team: 404; a reader: 403, on the form's GET too) saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.service.models import ServiceCase
from openkam.service.tests.builders import case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "quality_claim", "severity": "high", "channel": "phone", "title": "批次漏油",
        "opened_at": "2026-06-01T09:00", "first_response_at": "2026-06-01T14:00",
    }  # fmt: skip
    return data | changes


def test_a_kam_opens_a_case_and_its_sla_is_breached(world: World) -> None:
    client = client_for(world.kam)
    response = client.post(reverse("service:create", args=[world.account.pk]), form_data())
    made = ServiceCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert (made.account, made.owner, made.status) == (world.account, world.kam, "in_progress")
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="case-response-breached"' in page  # 14:00 answer, 13:00 due
    assert "Case opened" in page


def test_the_form_names_the_refused_field(world: World) -> None:
    response = client_for(world.kam).post(
        reverse("service:create", args=[world.account.pk]),
        form_data(first_response_at="2026-06-01T08:00"),
    )
    assert response.status_code == 200
    assert "The first response cannot come before the opening." in response.content.decode()
    assert not ServiceCase.objects.exists()


def test_resolving_a_claim_needs_its_cause_then_the_timeline_shows_it(world: World) -> None:
    made = case(world.account, kind="quality_claim")
    client = client_for(world.kam)
    url = reverse("service:resolve", args=[made.pk])
    assert client.post(url, {}).status_code == 200
    assert ServiceCase.objects.get().status == "new"
    done = client.post(url, {"root_cause": "密封圈老化", "corrective_action": "更换密封圈"})
    assert done.status_code == 302
    assert ServiceCase.objects.get().status == "resolved"
    page = client.get(made.get_absolute_url()).content.decode()
    assert "密封圈老化" in page
    client.post(reverse("service:move", args=[made.pk]), {"status": "closed"})
    assert ServiceCase.objects.get().status == "closed"


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_may_not_open_edit_resolve_or_move(world: World, who: str) -> None:
    made = case(world.account)
    before = list(ServiceCase.objects.values())
    client = client_for(getattr(world, who))
    for name, args in (("create", [world.account.pk]), ("edit", [made.pk]),
                       ("resolve", [made.pk])):  # fmt: skip
        url = reverse(f"service:{name}", args=args)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data()).status_code == 403
    assert (
        client.post(reverse("service:move", args=[made.pk]), {"status": "waiting"}).status_code
        == 403
    )
    assert client.get(made.get_absolute_url()).status_code == 200
    assert list(ServiceCase.objects.values()) == before


def test_another_teams_case_is_not_found_and_nothing_is_saved(world: World) -> None:
    theirs = case(world.other_account)
    before = list(ServiceCase.objects.values())
    client = client_for(world.kam)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert (
        client.post(
            reverse("service:create", args=[world.other_account.pk]), form_data()
        ).status_code
        == 404
    )
    for name in ("edit", "resolve", "move"):
        assert (
            client.post(reverse(f"service:{name}", args=[theirs.pk]), form_data()).status_code
            == 404
        )
    assert list(ServiceCase.objects.values()) == before
