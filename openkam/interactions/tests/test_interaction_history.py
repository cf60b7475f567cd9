"""The history of an interaction: one record per write, participants included, shown as who
changed what and when, in both languages, to everyone who sees the account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions import services
from openkam.interactions.models import Interaction, Status
from openkam.interactions.selectors import interaction_history
from openkam.interactions.tests.builders import at, logged
from openkam.relationships.models import Contact


@pytest.fixture
def buyer(world: World) -> Contact:
    return ContactFactory.create(account=world.account, name="王经理")


@pytest.fixture
def edited(world: World, buyer: Contact) -> Interaction:
    """Planned by the KAM, then moved and re-staffed by the director, then done."""
    day = timezone.localdate() - dt.timedelta(days=1)
    planned = logged(
        world.account, by=world.kam, day=day, status=Status.PLANNED, theirs=[buyer], subject="拜访"
    )
    engineer = ContactFactory.create(account=world.account, name="李工")
    services.interaction_update(
        interaction=planned,
        by=world.director,
        kind="meeting",
        starts_at=at(day, hour=15),
        subject="技术交流会",
        duration_minutes=90,
        notes="",
        our_participants=[world.kam, world.director],
        their_participants=[engineer],
        next_step="",
        next_step_due=None,
    )
    return services.interaction_complete(interaction=planned, by=world.kam)


def test_logging_writes_one_record_holding_both_sides(world: World, buyer: Contact) -> None:
    visit = logged(world.account, by=world.kam, day=timezone.localdate(), theirs=[buyer])
    record = visit.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.kam
    assert [row.user_id for row in record.our_participants.all()] == [world.kam.pk]
    assert [row.contact_id for row in record.their_participants.all()] == [buyer.pk]


def test_each_write_is_one_entry_newest_first(world: World, edited: Interaction) -> None:
    with translation.override("en"):
        entries = interaction_history(edited)
    assert [entry.who for entry in entries] == [world.kam, world.director, world.kam]
    assert entries[-1].created
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("status", "Planned", "Done")
    ]
    moved = {change.label: change for change in entries[1].changes}
    assert set(moved) == {
        "kind",
        "date and time",
        "duration (minutes)",
        "subject",
        "our participants",
        "their participants",
    }
    assert (moved["kind"].before, moved["kind"].after) == ("Visit", "Meeting")
    assert (moved["subject"].before, moved["subject"].after) == ("拜访", "技术交流会")
    assert moved["our participants"].added == [str(world.director)]
    assert moved["their participants"].added == ["李工"]
    assert moved["their participants"].removed == ["王经理"]


def test_the_history_panel_reads_in_english(
    world: World, edited: Interaction, english: None
) -> None:
    url = reverse("interactions:history", args=[edited.pk])
    content = client_for(world.viewer).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert content.count('data-testid="history-entry"') == 3
    assert "logged the interaction" in content
    assert "Their participants:" in content
    assert "+ 李工" in content
    assert "<del>王经理</del>" in content
    assert "<html" not in content


def test_the_history_panel_reads_in_chinese(world: World, edited: Interaction) -> None:
    url = reverse("interactions:history", args=[edited.pk])
    content = client_for(world.kam).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "记录了这次互动" in content
    assert "对方参与人:" in content
    assert "计划中" in content
    assert "已完成" in content


def test_the_detail_page_shows_the_interaction_and_its_history(
    world: World, edited: Interaction
) -> None:
    response = client_for(world.viewer).get(reverse("interactions:detail", args=[edited.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "技术交流会" in content
    assert content.count('data-testid="history-entry"') == 3
    assert 'data-testid="event-edit"' not in content


def test_the_history_link_without_htmx_goes_to_the_detail_page(
    world: World, edited: Interaction
) -> None:
    response = client_for(world.kam).get(reverse("interactions:history", args=[edited.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("interactions:detail", args=[edited.pk])


@pytest.mark.parametrize("name", ["detail", "history", "edit"])
def test_another_teams_kam_does_not_see_the_interaction(
    world: World, edited: Interaction, name: str
) -> None:
    response = client_for(world.other_kam).get(
        reverse(f"interactions:{name}", args=[edited.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "htmx", "queries"), [("detail", False, 10), ("history", True, 8)])
def test_the_history_pages_pin_their_queries_whatever_the_length(
    world: World,
    edited: Interaction,
    name: str,
    htmx: bool,
    queries: int,
    django_assert_num_queries,
) -> None:
    """Session and user, the interaction and its participants (3), the history and its
    participants (3); the detail page adds the edit right and the return-visit date (3)."""
    client = client_for(world.kam)
    url = reverse(f"interactions:{name}", args=[edited.pk])
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(url, headers=headers)
    with django_assert_num_queries(queries):
        assert client.get(url, headers=headers).status_code == 200
    for subject in ("第二次修改", "第三次修改"):
        edited.refresh_from_db()
        services.interaction_update(
            interaction=edited,
            by=world.director,
            kind=edited.kind,
            starts_at=edited.starts_at,
            subject=subject,
            duration_minutes=edited.duration_minutes,
            notes=edited.notes,
            our_participants=[world.kam],
            their_participants=[],
            next_step="",
            next_step_due=None,
        )
    with django_assert_num_queries(queries):
        assert client.get(url, headers=headers).status_code == 200


def test_an_interaction_loaded_without_history_keeps_its_state_before_the_first_change(
    world: World, buyer: Contact, english: None
) -> None:
    """Bulk loads (the demo) write no history: the first change records the state before it,
    as logged by its author when it was created."""
    (loaded,) = Interaction.objects.bulk_create(
        [
            Interaction(
                account=world.account,
                kind="call",
                status=Status.PLANNED,
                starts_at=at(timezone.localdate() - dt.timedelta(days=1)),
                subject="电话回访",
                created_by=world.kam,
            )
        ]
    )
    Interaction.their_participants.through.objects.create(interaction=loaded, contact=buyer)
    assert not loaded.history.exists()
    services.interaction_complete(interaction=loaded, by=world.director)
    entries = interaction_history(loaded)
    assert [(entry.who, entry.created) for entry in entries] == [
        (world.director, False),
        (world.kam, True),
    ]
    assert entries[1].when == loaded.created_at
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("status", "Planned", "Done")
    ]
    baseline = loaded.history.earliest()
    assert [row.contact_id for row in baseline.their_participants.all()] == [buyer.pk]


def test_a_history_that_starts_with_a_change_says_the_earlier_state_is_unknown(
    world: World, english: None
) -> None:
    (loaded,) = Interaction.objects.bulk_create(
        [Interaction(account=world.account, starts_at=at(timezone.localdate()), subject="拜访")]
    )
    loaded._history_user = world.kam  # type: ignore[attr-defined]
    loaded.save()  # a write from before the history was kept whole (no baseline)
    (entry,) = interaction_history(loaded)
    assert (entry.who, entry.created, entry.changes) == (world.kam, False, [])
    url = reverse("interactions:history", args=[loaded.pk])
    content = client_for(world.kam).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "its earlier state was not recorded" in content
