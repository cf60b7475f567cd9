"""Strategic designation (战略客户): the four criteria with evidence and a reason; analysts
propose, executives decide (an executive's own designation at once), which sets the account's
flag with a history entry; the count is shown against the policy's 3-5 target; other roles
are refused (403) and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.governance.models import StrategicDesignation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = "/governance/strategic/"


def _form(account: Account, **extra: Any) -> dict[str, Any]:
    data = {
        "account_id": account.pk, "designate": "1", "reason": "全球采购入口，品牌领先",
        "brand": "on", "brand_evidence": "行业前三", "global_sourcing": "on",
        "global_sourcing_evidence": "2026年进入其全球供应商名录", "not_competitor": "on",
        "not_competitor_evidence": "无竞争业务",
    }  # fmt: skip
    data.update(extra)
    return data


def _state() -> tuple[Any, ...]:
    flags = list(Account.objects.order_by("pk").values_list("is_strategic", "strategic_reason"))
    return flags, StrategicDesignation.objects.count()


def test_the_url_is_the_page() -> None:
    assert reverse("governance:strategic") == URL


def test_an_analyst_proposes_and_the_executive_approves(world: World) -> None:
    response = client_for(world.analyst).post(URL, _form(world.account))
    assert response.status_code == 302
    designation = StrategicDesignation.objects.get()
    assert designation.status == "proposed"
    assert (designation.brand, designation.cooperation, designation.global_sourcing) == (
        True, False, True)  # fmt: skip
    assert designation.global_sourcing_evidence == "2026年进入其全球供应商名录"
    world.account.refresh_from_db()
    assert world.account.is_strategic is False  # not before the decision
    decide = reverse("governance:strategic_decide", args=[designation.pk])
    client = client_for(world.executive)
    assert client.post(decide, {"d-decision": "approve"}).status_code == 302
    world.account.refresh_from_db()
    assert world.account.is_strategic is True
    assert world.account.strategic_reason == "全球采购入口，品牌领先"
    latest = world.account.history.first()
    assert latest is not None
    assert latest.history_user == world.executive
    assert latest.history_change_reason == f"Strategic designation no. {designation.pk}"
    page = client.get(URL)
    assert page.context["accounts"] == [world.account]
    assert "designation-row" in page.content.decode()


def test_a_rejection_says_why_and_leaves_the_account(world: World) -> None:
    client_for(world.analyst).post(URL, _form(world.account))
    designation = StrategicDesignation.objects.get()
    decide = reverse("governance:strategic_decide", args=[designation.pk])
    client = client_for(world.executive)
    client.post(decide, {"d-decision": "reject"})
    designation.refresh_from_db()
    assert designation.status == "proposed"  # no comment: refused
    client.post(decide, {"d-decision": "reject", "d-comment": "尚无全球合作"})
    designation.refresh_from_db()
    assert (designation.status, designation.decision_comment) == ("rejected", "尚无全球合作")
    world.account.refresh_from_db()
    assert world.account.is_strategic is False


def test_an_executive_designates_at_once_and_a_criterion_needs_its_evidence(
    world: World,
) -> None:
    client = client_for(world.executive)
    refused = client.post(URL, _form(world.account, brand_evidence=""))
    assert refused.status_code == 422
    assert "Give the evidence of this criterion." in refused.content.decode()
    assert StrategicDesignation.objects.count() == 0
    assert client.post(URL, _form(world.account)).status_code == 302
    world.account.refresh_from_db()
    assert world.account.is_strategic is True
    assert StrategicDesignation.objects.get().status == "approved"


def test_the_count_is_shown_against_the_target_with_a_warning_beyond_five(
    world: World, django_assert_num_queries: Any
) -> None:
    AccountFactory.create_batch(6, is_strategic=True)
    client = client_for(world.analyst)
    with django_assert_num_queries(5):  # session, user, history count (none), waiting, flags
        response = client.get(URL)
    body = response.content.decode()
    assert response.context["accounts"].__len__() == 6
    assert 'data-testid="over-target"' in body
    Account.objects.filter(is_strategic=True).exclude(
        pk__in=list(Account.objects.filter(is_strategic=True).values_list("pk", flat=True)[:4])
    ).update(is_strategic=False)
    body = client.get(URL).content.decode()
    assert 'data-testid="over-target"' not in body
    assert 'data-testid="under-target"' not in body


@pytest.mark.parametrize("persona", ["kam", "director", "viewer"])
def test_other_roles_are_refused_and_nothing_is_saved(world: World, persona: str) -> None:
    client_for(world.analyst).post(URL, _form(world.other_account))
    designation = StrategicDesignation.objects.get()
    before = _state()
    client = client_for(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(world.account)).status_code == 403
    decide = reverse("governance:strategic_decide", args=[designation.pk])
    assert client.post(decide, {"d-decision": "approve"}).status_code == 403
    assert _state() == before


def test_an_analyst_cannot_decide_and_an_unknown_designation_is_not_found(world: World) -> None:
    client_for(world.analyst).post(URL, _form(world.account))
    designation = StrategicDesignation.objects.get()
    before = _state()
    decide = reverse("governance:strategic_decide", args=[designation.pk])
    assert client_for(world.analyst).post(decide, {"d-decision": "approve"}).status_code == 403
    missing = reverse("governance:strategic_decide", args=[designation.pk + 1])
    assert client_for(world.executive).post(missing, {"d-decision": "approve"}).status_code == 404
    assert _state() == before
