"""Joint projects and board meetings are recorded from the plan page, with members of both
sides, on the account (where the relationship stage reads them) and listed on the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.plans.models import PlanStatus
from openkam.plans.tests.builders import plan
from openkam.relationships.models import JointProject

pytestmark = pytest.mark.django_db


def _post(world: World, persona: str, account_plan_pk: int, **fields: object) -> int:
    data = {
        "kind": "new_products",
        "name": "新一代门机联合开发",
        "starts_on": "2026-03-01",
        "status": "active",
        **fields,
    }
    url = reverse("plans:part_add", args=[account_plan_pk, "project"])
    return client_for(getattr(world, persona)).post(url, data, HTTP_HX_REQUEST="true").status_code


def test_the_kam_records_a_joint_project_on_the_plan(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    engineer = ContactFactory.create(account=world.account, name="王工")
    status = _post(
        world,
        "kam",
        active.pk,
        our_member_ids=[world.kam.pk, world.director.pk],
        their_member_ids=[engineer.pk],
    )
    assert status == 200
    project = JointProject.objects.get()
    assert (project.account, project.kind, project.starts_on) == (
        world.account,
        "new_products",
        dt.date(2026, 3, 1),
    )
    assert set(project.our_members.all()) == {world.kam, world.director}
    assert list(project.their_members.all()) == [engineer]
    assert list(active.joint_projects.all()) == [project]
    page = client_for(world.kam).get(active.get_absolute_url()).content.decode()
    assert "新一代门机联合开发" in page
    assert "王工" in page


def test_another_accounts_contact_is_refused_and_nothing_saved(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    stranger = ContactFactory.create(account=world.other_account)
    # The form offers only this account's contacts: another's id is not a choice.
    assert _post(world, "kam", active.pk, their_member_ids=[stranger.pk]) == 200
    assert not JointProject.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("other_kam", 404), ("viewer", 403), ("analyst", 403)]
)
def test_who_may_not_write_the_account_is_refused(world: World, persona: str, status: int) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    assert _post(world, persona, active.pk) == status
    assert not JointProject.objects.exists()
