"""The interaction and cadence pages of the back office."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory, UserFactory
from openkam.interactions.models import ContactCadence
from openkam.interactions.tests.builders import interaction, logged


def test_the_changelist_finds_an_interaction_by_subject(world: World) -> None:
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    interaction(world.account, day=timezone.localdate(), subject="年度框架协议谈判")
    interaction(world.account, day=timezone.localdate(), subject="电话回访")
    url = reverse("admin:interactions_interaction_changelist")
    content = client_for(root).get(url, {"q": "框架"}).content.decode()
    assert "年度框架协议谈判" in content
    assert "电话回访" not in content


def test_the_cadence_is_edited_in_the_changelist(world: World) -> None:
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    rows = list(ContactCadence.objects.order_by("tier"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-every_days"] = "14" if row.tier == "strategic" else str(row.every_days)
    url = reverse("admin:interactions_contactcadence_changelist")
    assert client_for(root).post(url, data).status_code == 302
    assert ContactCadence.objects.get(tier="strategic").every_days == 14


def test_a_change_in_the_back_office_is_one_history_record_with_its_participants(
    world: World,
) -> None:
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    buyer = ContactFactory.create(account=world.account, name="王经理")
    visit = logged(world.account, by=world.kam, day=timezone.localdate(), ours=[world.kam])
    starts = timezone.localtime(visit.starts_at)
    data = {
        "account": str(world.account.pk),
        "kind": "meeting",
        "status": visit.status,
        "starts_at_0": starts.date().isoformat(),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "duration_minutes": "60",
        "our_participants": [str(world.kam.pk), str(world.director.pk)],
        "their_participants": [str(buyer.pk)],
        "subject": visit.subject,
        "notes": "",
        "next_step": "",
        "next_step_due": "",
        "next_step_owner": "",
        "_save": "Save",
    }
    url = reverse("admin:interactions_interaction_change", args=[visit.pk])
    response = client_for(root).post(url, data)
    assert response.status_code == 302
    assert visit.history.count() == 2
    record = visit.history.latest()
    assert (record.history_user, record.kind) == (root, "meeting")
    assert {row.user_id for row in record.our_participants.all()} == {
        world.kam.pk,
        world.director.pk,
    }
    assert [row.contact_id for row in record.their_participants.all()] == [buyer.pk]
