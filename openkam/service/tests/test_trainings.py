"""Training given to the customer: date, topic, trainer, attendees (contacts of the account),
linked cases; recorded and edited by the account's writers, read by those who see the account,
listed on the case and on the account's service card, every version kept. Another team's
training is a 404, a reader's write a 403, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.common.errors import ValidationError
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.service import services
from openkam.service.models import Training
from openkam.service.tests.builders import case, their_training

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def stored() -> list[object]:
    return [list(Training.objects.values()), list(Training.history.values_list("topic", flat=True))]


def test_a_writer_records_and_edits_a_training(world: World, english: None) -> None:
    made = case(world.account, kind="training_request", title="控制系统维保培训")
    wang = ContactFactory.create(account=world.account, name="王工")
    li = ContactFactory.create(account=world.account, name="李工")
    client = client_for(world.kam)
    url = reverse("service:training_create", args=[world.account.pk])
    assert client.get(url, {"case": made.pk}).status_code == 200
    response = client.post(url, {
        "held_on": "2026-05-28", "topic": "新版控制柜维保", "trainer": "张工",
        "attendees": [wang.pk, li.pk], "cases": [made.pk], "other_attendees": "维保班组 6 人",
    })  # fmt: skip
    assert response.status_code == 302
    training = Training.objects.get()
    assert (training.held_on, training.topic, training.trainer, training.recorded_by) == (
        dt.date(2026, 5, 28), "新版控制柜维保", "张工", world.kam,
    )  # fmt: skip
    assert set(training.attendees.all()) == {wang, li}
    assert list(training.cases.all()) == [made]
    on_case = client.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="case-training"' in on_case
    assert "新版控制柜维保" in on_case
    card = client.get(reverse("accounts:tab", args=[world.account.pk, "cards"])).content.decode()
    assert 'data-testid="account-training"' in card
    assert 'data-testid="create-training"' in card
    edited = client.post(training.get_absolute_url(), {
        "held_on": "2026-05-29", "topic": "新版控制柜维保（二）", "trainer": "张工",
        "attendees": [wang.pk], "cases": [made.pk],
    })  # fmt: skip
    assert edited.status_code == 302
    training.refresh_from_db()
    assert (training.held_on, list(training.attendees.all())) == (dt.date(2026, 5, 29), [wang])
    versions = list(
        training.history.order_by("history_date", "history_id").values_list("topic", flat=True)
    )
    assert versions[0] == "新版控制柜维保"
    assert versions[-1] == "新版控制柜维保（二）"
    page = client.get(training.get_absolute_url()).content.decode()
    assert page.count('data-testid="training-version"') == len(versions) >= 2


def test_bad_input_is_refused_by_name(world: World) -> None:
    theirs = ContactFactory.create(account=world.other_account)
    their_case = case(world.other_account)
    with pytest.raises(ValidationError) as refused:
        services.training_record(
            user=world.kam, account_id=world.account.pk, held_on=dt.date(2026, 5, 1),
            topic=" ", trainer="", attendees=[theirs], cases=[their_case],
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"topic", "trainer", "attendees", "cases"}
    assert not Training.objects.exists()
    response = client_for(world.kam).post(
        reverse("service:training_create", args=[world.account.pk]),
        {"held_on": "", "topic": "培训", "trainer": "张工"},
    )
    assert response.status_code == 200
    assert not Training.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_read_but_cannot_write(world: World, who: str, english: None) -> None:
    training = services.training_record(
        user=world.kam, account_id=world.account.pk, held_on=dt.date(2026, 5, 1),
        topic="安全操作培训", trainer="张工",
    )  # fmt: skip
    client = client_for(getattr(world, who))
    page = client.get(training.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="training-facts"' in page.content.decode()
    assert 'data-testid="training-form"' not in page.content.decode()
    before = stored()
    body = {"held_on": "2026-05-02", "topic": "改", "trainer": "李工"}
    assert client.post(training.get_absolute_url(), body).status_code == 403
    new = reverse("service:training_create", args=[world.account.pk])
    assert client.get(new).status_code == 403
    assert client.post(new, body).status_code == 403
    assert stored() == before


def test_another_team_does_not_see_the_training(world: World) -> None:
    training = their_training(world.other_account)
    client = client_for(world.kam)
    before = stored()
    assert client.get(training.get_absolute_url()).status_code == 404
    body = {"held_on": "2026-05-02", "topic": "改", "trainer": "李工"}
    assert client.post(training.get_absolute_url(), body).status_code == 404
    new = reverse("service:training_create", args=[world.other_account.pk])
    assert client.post(new, body).status_code == 404
    assert stored() == before
