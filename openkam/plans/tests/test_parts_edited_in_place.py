"""SWOT items, strategies, resource requests, value components and joint-team members are
changed in place (htmx: the form replaces the row, the save answers the plan's body): the
history keeps the change, a refusal names the field, reading roles get 403 and another team
404 with nothing saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.plans.models import (
    AccountPlan,
    Decision,
    JointTeamMember,
    PlanStatus,
    ResourceRequest,
    Strategy,
    SwotItem,
    ValueItem,
)
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _parts(world: World, status: str = PlanStatus.DRAFT) -> dict[str, Any]:
    draft = plan(world.account, status=status)
    buyer = ContactFactory.create(account=world.account, name="王经理")
    strategy = Strategy.objects.create(plan=draft, description="以技术交流带动新品导入")
    strategy.objectives.set([objective(draft, description="营收增长")])
    return {
        "swot": SwotItem.objects.create(plan=draft, kind="strength", text="交付稳定"),
        "strategy": strategy,
        "resource": ResourceRequest.objects.create(
            plan=draft, function="rnd", person_days=Decimal("10"), reason="联合开发"
        ),
        "value": ValueItem.objects.create(plan=draft, component="product", score=3),
        "member": JointTeamMember.objects.create(plan=draft, contact=buyer, role="other"),
    }


def _url(part: str, item: Any) -> str:
    return reverse("plans:part_edit", args=[item.plan_id, part, item.pk])


def _post(part: str, item: Any, data: dict[str, str]) -> dict[str, str]:
    return {f"{part}-{item.pk}-{name}": value for name, value in data.items()}


def _changes(world: World, parts: dict[str, Any]) -> dict[str, dict[str, str]]:
    target = parts["strategy"].plan.objectives.get()
    return {
        "swot": {"kind": "opportunity", "text": "  新产线扩产  "},
        "strategy": {"description": "以样件测试带动新品导入", "objective_ids": str(target.pk)},
        "resource": {
            "function": "quality",
            "person_days": "12.5",
            "amount": "",
            "reason": "驻厂质量支持",
        },
        "value": {"component": "service", "amount": "80000", "score": "", "note": "两小时响应"},
        "member": {"role": "sponsor", "member_user_id": str(world.director.pk), "contact_id": ""},
    }


EXPECTED: dict[str, dict[str, Any]] = {
    "swot": {"kind": "opportunity", "text": "新产线扩产"},
    "strategy": {"description": "以样件测试带动新品导入"},
    "resource": {"function": "quality", "person_days": Decimal("12.5"), "amount": None},
    "value": {"component": "service", "amount": Decimal("80000"), "score": None},
    "member": {"role": "sponsor", "contact_id": None, "note": ""},
}
PARTS = list(EXPECTED)


@pytest.mark.parametrize("part", PARTS)
def test_the_kams_form_replaces_the_row_with_the_current_values(world: World, part: str) -> None:
    parts = _parts(world)
    response = client_for(world.kam).get(_url(part, parts[part]), headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="{part}-{parts[part].pk}"' in content
    assert f'data-testid="form-{part}-edit"' in content
    assert f'hx-target="#{part}-{parts[part].pk}"' in content
    shown = {"swot": "交付稳定", "strategy": "以技术交流带动新品导入", "resource": "联合开发"}
    if part in shown:
        assert shown[part] in content


@pytest.mark.parametrize("persona", ["kam", "director", "executive"])
@pytest.mark.parametrize("part", PARTS)
def test_a_writer_changes_a_part_in_place_and_its_history_keeps_it(
    world: World, part: str, persona: str
) -> None:
    parts = _parts(world)
    item = parts[part]
    before = item.history.count()
    data = _post(part, item, _changes(world, parts)[part])
    response = client_for(getattr(world, persona)).post(_url(part, item), data, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#plan-body"
    assert 'data-testid="plan-body"' in response.content.decode()
    item.refresh_from_db()
    for name, value in EXPECTED[part].items():
        assert getattr(item, name) == value, name
    history = item.history.order_by("-history_date")
    assert history.count() == before + 1
    assert (history[0].history_type, history[0].history_user) == ("~", getattr(world, persona))
    if part == "member":
        assert item.user == world.director


def test_the_plans_history_lists_the_change(world: World) -> None:
    parts = _parts(world)
    item = parts["swot"]
    data = _post("swot", item, {"kind": "strength", "text": "交付准时率 98%"})
    client = client_for(world.kam)
    client.post(_url("swot", item), data, headers=HTMX)
    page = client.get(item.plan.get_absolute_url()).content.decode()
    assert "交付准时率 98%" in page
    assert page.count('data-testid="history-entry"') >= 1


REFUSED = {
    # (what is sent, the field whose error shows)
    "swot": ({"kind": "strength", "text": ""}, "text"),
    "strategy": ({"description": ""}, "description"),
    "resource": ({"function": "rnd", "reason": "联合开发"}, "person_days"),
    "value": ({"component": "product", "amount": "", "score": ""}, "amount"),
    "member": ({"role": "other", "member_user_id": "", "contact_id": ""}, "member_user_id"),
}


@pytest.mark.parametrize("part", PARTS)
def test_a_refused_change_names_the_field_and_saves_nothing(world: World, part: str) -> None:
    parts = _parts(world)
    item = parts[part]
    before = {f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields}
    records = item.history.count()
    sent, field = REFUSED[part]
    response = client_for(world.kam).post(_url(part, item), _post(part, item, sent), headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="error-{part}-{item.pk}-{field}"' in content
    assert f'data-testid="form-{part}-edit"' in content
    item.refresh_from_db()
    assert {f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields} == before
    assert item.history.count() == records


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 403), ("viewer", 403), ("other_kam", 404)]
)
@pytest.mark.parametrize("part", PARTS)
def test_who_may_not_write_gets_no_form_and_changes_nothing(
    world: World, part: str, persona: str, status: int
) -> None:
    parts = _parts(world)
    item = parts[part]
    records = item.history.count()
    client = client_for(getattr(world, persona))
    assert client.get(_url(part, item), headers=HTMX).status_code == status
    data = _post(part, item, _changes(world, parts)[part])
    assert client.post(_url(part, item), data, headers=HTMX).status_code == status
    item.refresh_from_db()
    assert item.history.count() == records
    for name, value in EXPECTED[part].items():
        if value is not None and name != "note":
            assert getattr(item, name) != value, name


def test_a_part_of_another_plan_is_not_edited_through_this_one(world: World) -> None:
    parts = _parts(world)
    other = plan(world.account, year=2025)
    item = parts["swot"]
    url = reverse("plans:part_edit", args=[other.pk, "swot", item.pk])
    data = _post("swot", item, {"kind": "threat", "text": "改"})
    assert client_for(world.kam).post(url, data, headers=HTMX).status_code == 404
    unknown = reverse("plans:part_edit", args=[item.plan_id, "objective", item.pk])
    assert client_for(world.kam).get(unknown).status_code == 404
    item.refresh_from_db()
    assert item.text == "交付稳定"


def test_an_approved_plans_frame_is_refused_but_its_team_and_pending_requests_change(
    world: World, english: None
) -> None:
    parts = _parts(world, status=PlanStatus.ACTIVE)
    client = client_for(world.kam)
    swot = parts["swot"]
    response = client.post(
        _url("swot", swot), _post("swot", swot, {"kind": "threat", "text": "改"}), headers=HTMX
    )
    assert "only a draft can be changed" in response.content.decode()
    swot.refresh_from_db()
    assert swot.text == "交付稳定"
    member = parts["member"]
    data = _post(
        "member",
        member,
        {"role": "quality", "contact_id": str(member.contact_id), "note": "质量对接"},
    )
    client.post(_url("member", member), data, headers=HTMX)
    member.refresh_from_db()
    assert (member.role, member.note) == ("quality", "质量对接")
    content = client.get(member.plan.get_absolute_url()).content.decode()
    assert 'data-testid="edit-member"' in content
    assert 'data-testid="edit-swot"' not in content
    assert 'data-testid="edit-resource"' in content


def test_a_decided_request_is_no_longer_changed(world: World, english: None) -> None:
    parts = _parts(world, status=PlanStatus.ACTIVE)
    resource = parts["resource"]
    ResourceRequest.objects.filter(pk=resource.pk).update(decision=Decision.GRANTED)
    data = _post("resource", resource, {"function": "rnd", "person_days": "99", "reason": "x"})
    response = client_for(world.kam).post(_url("resource", resource), data, headers=HTMX)
    assert "This request is decided" in response.content.decode()
    resource.refresh_from_db()
    assert resource.person_days == Decimal("10")
    content = client_for(world.kam).get(resource.plan.get_absolute_url()).content.decode()
    assert 'data-testid="edit-resource"' not in content


def test_a_strategy_serves_only_objectives_of_its_own_plan(world: World) -> None:
    parts = _parts(world)
    strategy = parts["strategy"]
    foreign = objective(plan(world.other_account), description="别的计划")
    data = _post("strategy", strategy, {"description": "新策略", "objective_ids": str(foreign.pk)})
    response = client_for(world.kam).post(_url("strategy", strategy), data, headers=HTMX)
    assert f'data-testid="error-strategy-{strategy.pk}-objective_ids"' in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.description == "以技术交流带动新品导入"
    assert AccountPlan.objects.count() == 2
