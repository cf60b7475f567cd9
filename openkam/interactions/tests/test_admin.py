"""The interaction and cadence pages of the back office."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import UserFactory
from openkam.interactions.models import ContactCadence
from openkam.interactions.tests.builders import interaction


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
