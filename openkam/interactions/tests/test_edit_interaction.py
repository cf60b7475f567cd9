"""Editing an interaction from its timeline entry: date and time, kind, subject, notes, the
next step and the participants of both sides; only who may write to the account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory, UserFactory
from openkam.interactions.models import Interaction, Status
from openkam.interactions.tests.builders import logged
from openkam.relationships.models import Contact
from openkam.team.models import Role


@pytest.fixture
def buyer(world: World) -> Contact:
    return ContactFactory.create(account=world.account, name="王经理")


@pytest.fixture
def visit(world: World, buyer: Contact) -> Interaction:
    return logged(
        world.account,
        by=world.kam,
        day=timezone.localdate() - dt.timedelta(days=2),
        ours=[world.kam],
        theirs=[buyer],
        subject="年度采购计划沟通",
        notes="客户计划扩产",
    )


def form(interaction: Interaction, **overrides: object) -> dict[str, object]:
    """The edit form as the browser sends it, unchanged unless overridden."""
    data: dict[str, object] = {
        "kind": interaction.kind,
        "starts_at": timezone.localtime(interaction.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": str(interaction.duration_minutes),
        "subject": interaction.subject,
        "notes": interaction.notes,
        "our_participants": [str(u.pk) for u in interaction.our_participants.all()],
        "their_participants": [str(c.pk) for c in interaction.their_participants.all()],
        "next_step": interaction.next_step,
        "next_step_due": interaction.next_step_due.isoformat() if interaction.next_step_due else "",
        "next_step_owner": str(interaction.next_step_owner_id or ""),
    }
    data.update(overrides)
    return data


def url(interaction: Interaction) -> str:
    return reverse("interactions:edit", args=[interaction.pk])


def test_the_kam_corrects_a_visit_inline_and_gets_the_entry_back(
    world: World, visit: Interaction
) -> None:
    due = timezone.localdate() + dt.timedelta(days=5)
    changed = form(
        visit,
        kind="meeting",
        subject="年度框架协议谈判",
        notes="价格分歧",
        next_step="提交报价",
        next_step_due=due.isoformat(),
    )
    response = client_for(world.kam).post(url(visit), changed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "interactionEdited"
    content = response.content.decode()
    assert f'id="i{visit.pk}"' in content
    assert "年度框架协议谈判" in content
    assert '<span id="contact-due" hx-swap-oob="true"' in content
    visit.refresh_from_db()
    assert (visit.kind, visit.subject, visit.notes) == ("meeting", "年度框架协议谈判", "价格分歧")
    assert (visit.next_step, visit.next_step_due, visit.next_step_owner) == (
        "提交报价",
        due,
        world.kam,
    )
    assert visit.history.count() == 2
    assert visit.history.latest().history_user == world.kam


def test_participants_of_both_sides_are_replaced(
    world: World, visit: Interaction, buyer: Contact
) -> None:
    engineer = ContactFactory.create(account=world.account, name="李工")
    colleague = UserFactory.create(username="support", role=Role.VIEWER, display_name="技术支持")
    changed = form(
        visit,
        our_participants=[str(world.kam.pk), str(colleague.pk)],
        their_participants=[str(engineer.pk)],
    )
    client_for(world.kam).post(url(visit), changed, HTTP_HX_REQUEST="true")
    assert set(visit.our_participants.all()) == {world.kam, colleague}
    assert list(visit.their_participants.all()) == [engineer]
    record = visit.history.latest()
    assert {row.contact_id for row in record.their_participants.all()} == {engineer.pk}
    assert {row.user_id for row in record.our_participants.all()} == {world.kam.pk, colleague.pk}


def test_a_planned_visit_is_moved_to_another_day(world: World, buyer: Contact) -> None:
    planned = logged(
        world.account,
        by=world.kam,
        day=timezone.localdate() + dt.timedelta(days=3),
        status=Status.PLANNED,
        theirs=[buyer],
    )
    later = timezone.localtime(planned.starts_at) + dt.timedelta(days=7, hours=4)
    changed = form(planned, starts_at=later.strftime("%Y-%m-%dT%H:%M"))
    client_for(world.kam).post(url(planned), changed, HTTP_HX_REQUEST="true")
    planned.refresh_from_db()
    assert planned.starts_at == later
    assert planned.status == Status.PLANNED


def test_without_htmx_the_edit_page_saves_and_returns_to_the_timeline(
    world: World, visit: Interaction
) -> None:
    client = client_for(world.kam)
    page = client.get(url(visit))
    assert page.status_code == 200
    assert 'data-testid="edit-form"' in page.content.decode()
    assert 'data-testid="history"' in page.content.decode()
    response = client.post(url(visit), form(visit, subject="更正后的主题"))
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    visit.refresh_from_db()
    assert visit.subject == "更正后的主题"


def test_the_inline_form_is_filled_in_from_the_interaction(
    world: World, visit: Interaction, buyer: Contact
) -> None:
    content = client_for(world.kam).get(url(visit), HTTP_HX_REQUEST="true").content.decode()
    assert content.startswith(f'<li class="timeline-event" id="i{visit.pk}"')
    assert 'value="年度采购计划沟通"' in content
    checkbox = f'id="id_edit{visit.pk}_their_participants_0" checked'
    assert f'value="{buyer.pk}" class="form-check-input" {checkbox}' in content
    assert 'name="status"' not in content


def test_saving_without_a_change_adds_no_history(world: World, visit: Interaction) -> None:
    response = client_for(world.kam).post(url(visit), form(visit), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert visit.history.count() == 1


def test_a_contact_of_another_account_is_refused_and_nothing_saved(
    world: World, visit: Interaction, english: None
) -> None:
    stranger = ContactFactory.create(account=world.other_account, name="外部联系人")
    changed = form(visit, subject="不应保存", their_participants=[str(stranger.pk)])
    response = client_for(world.kam).post(url(visit), changed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="error-their_participants"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.subject == "年度采购计划沟通"
    assert [c.name for c in visit.their_participants.all()] == ["王经理"]
    assert visit.history.count() == 1


def test_an_inactive_user_cannot_be_added_but_one_already_there_may_stay(
    world: World, visit: Interaction, english: None
) -> None:
    gone = UserFactory.create(username="left", role=Role.KAM, is_active=False)
    client = client_for(world.kam)
    added = form(visit, our_participants=[str(world.kam.pk), str(gone.pk)])
    response = client.post(url(visit), added, HTTP_HX_REQUEST="true")
    assert 'data-testid="error-our_participants"' in response.content.decode()
    assert list(visit.our_participants.all()) == [world.kam]
    visit.our_participants.add(gone)
    kept = form(visit, notes="补充纪要")
    client.post(url(visit), kept, HTTP_HX_REQUEST="true")
    visit.refresh_from_db()
    assert visit.notes == "补充纪要"
    assert set(visit.our_participants.all()) == {world.kam, gone}


def test_nobody_of_ours_is_refused(world: World, visit: Interaction, english: None) -> None:
    response = client_for(world.kam).post(
        url(visit), form(visit, our_participants=[]), HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="error-our_participants"' in response.content.decode()
    assert list(visit.our_participants.all()) == [world.kam]


def test_a_done_visit_cannot_be_moved_into_next_month(world: World, visit: Interaction) -> None:
    later = timezone.localtime() + dt.timedelta(days=30)
    changed = form(visit, starts_at=later.strftime("%Y-%m-%dT%H:%M"))
    response = client_for(world.kam).post(url(visit), changed, HTTP_HX_REQUEST="true")
    assert 'data-testid="error-starts_at"' in response.content.decode()
    before = visit.starts_at
    visit.refresh_from_db()
    assert visit.starts_at == before
    assert visit.history.count() == 1


def test_a_missing_subject_is_named_and_nothing_saved(world: World, visit: Interaction) -> None:
    response = client_for(world.kam).post(
        url(visit), form(visit, subject="", notes="改了"), HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="error-subject"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.notes == "客户计划扩产"


@pytest.mark.parametrize(
    ("persona", "status"), [("other_kam", 404), ("viewer", 403), ("analyst", 403)]
)
def test_who_may_not_write_is_refused_and_nothing_is_saved(
    world: World, visit: Interaction, persona: str, status: int
) -> None:
    """Another team's KAM does not see the account (404); a role that reads only does (403)."""
    client = client_for(getattr(world, persona))
    assert client.get(url(visit), HTTP_HX_REQUEST="true").status_code == status
    response = client.post(url(visit), form(visit, subject="越权修改"), HTTP_HX_REQUEST="true")
    assert response.status_code == status
    visit.refresh_from_db()
    assert visit.subject == "年度采购计划沟通"
    assert visit.history.count() == 1


def test_the_timeline_offers_edit_only_to_who_may_write(world: World, visit: Interaction) -> None:
    timeline = reverse("interactions:timeline", args=[world.account.pk])
    assert 'data-testid="event-edit"' in client_for(world.kam).get(timeline).content.decode()
    assert 'data-testid="event-edit"' not in client_for(world.viewer).get(timeline).content.decode()


def test_the_director_and_the_executive_may_edit(world: World, visit: Interaction) -> None:
    for user, subject in ((world.director, "总监修改"), (world.executive, "高管修改")):
        client_for(user).post(url(visit), form(visit, subject=subject), HTTP_HX_REQUEST="true")
        visit.refresh_from_db()
        assert visit.subject == subject
        assert visit.history.latest().history_user == user


@pytest.mark.parametrize(("htmx", "queries"), [(True, 9), (False, 12)])
def test_the_edit_form_pins_its_queries(
    world: World, visit: Interaction, htmx: bool, queries: int, django_assert_num_queries
) -> None:
    """Session and user, the write check (2), the interaction and its participants (3), the
    choices of our people, the next step owner and their contacts (3); the page adds the
    history (3)."""
    client = client_for(world.kam)
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(url(visit), headers=headers)
    with django_assert_num_queries(queries):
        assert client.get(url(visit), headers=headers).status_code == 200


def test_saving_an_edit_pins_its_queries(
    world: World, visit: Interaction, django_assert_num_queries
) -> None:
    """A new subject and a contact swapped: the form's reads, the checks and the write of the
    interaction and its links, one history record with both sides (the library reads back
    the excluded updated_at once a side) and the entry and due date rendered again. Fixed:
    it does not grow with the participants or the length of the history."""
    engineer = ContactFactory.create(account=world.account, name="李工")
    client = client_for(world.kam)
    client.get(url(visit), HTTP_HX_REQUEST="true")
    changed = form(visit, subject="技术交流", their_participants=[str(engineer.pk)])
    with django_assert_num_queries(29):
        response = client.post(url(visit), changed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert visit.history.count() == 2


def test_the_entry_alone_comes_back_when_an_edit_is_discarded(
    world: World, visit: Interaction, django_assert_num_queries
) -> None:
    client = client_for(world.kam)
    detail = reverse("interactions:detail", args=[visit.pk])
    client.get(detail, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(5):
        response = client.get(detail, HTTP_HX_REQUEST="true")
    content = response.content.decode().strip()
    assert content.startswith(f'<li class="timeline-event" id="i{visit.pk}"')
    assert 'data-testid="event-edit"' in content


def test_a_next_step_owner_left_on_me_goes_to_the_editor(world: World, visit: Interaction) -> None:
    visit.next_step, visit.next_step_owner = "提交报价", world.kam
    visit.save()
    changed = form(visit, next_step="提交修订报价", next_step_owner="")
    client_for(world.director).post(url(visit), changed, HTTP_HX_REQUEST="true")
    visit.refresh_from_db()
    assert (visit.next_step, visit.next_step_owner) == ("提交修订报价", world.director)


def test_clearing_the_next_step_clears_its_due_date_and_owner(
    world: World, visit: Interaction
) -> None:
    visit.next_step, visit.next_step_owner = "提交报价", world.kam
    visit.next_step_due, visit.next_step_done = timezone.localdate(), True
    visit.save()
    client_for(world.kam).post(
        url(visit), form(visit, next_step="", next_step_due=""), HTTP_HX_REQUEST="true"
    )
    visit.refresh_from_db()
    assert (visit.next_step, visit.next_step_due, visit.next_step_owner) == ("", None, None)
    assert not visit.next_step_done
