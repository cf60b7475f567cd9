"""Short labels of plans carry a context (pgettext), so another catalogue's reading of the same
English word does not leak onto the plan page or the overview: an open action is 待处理, not
the ledger's open invoice (未结); an active plan is 执行中, not 进行中."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from openkam.conftest import World, client_for
from openkam.plans.models import (
    Action,
    ActionStatus,
    PlanStatus,
    Risk,
    RiskStatus,
)
from openkam.plans.tests.builders import plan

pytestmark = pytest.mark.django_db

EXPECTED = {
    "zh-hans": {
        PlanStatus: ["草稿", "已提交", "已批准", "执行中", "已关闭"],
        ActionStatus: ["待处理", "进行中", "已完成", "已取消"],
        RiskStatus: ["待处理", "应对中", "已关闭", "已发生"],
    },
    "en": {
        PlanStatus: ["Draft", "Submitted", "Approved", "Active", "Closed"],
        ActionStatus: ["Open", "In progress", "Done", "Cancelled"],
        RiskStatus: ["Open", "Mitigating", "Closed", "Happened"],
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_status_reads_as_the_plans_catalogue_says(language: str) -> None:
    with translation.override(language):
        for choices, labels in EXPECTED[language].items():
            assert [str(label) for label in choices.labels] == labels


def test_the_same_words_without_context_read_otherwise_elsewhere() -> None:
    """The collision this guards against (if it disappears, the context is still right)."""
    word = "Open"  # a variable, so makemessages does not copy the bare word into our catalogue
    with translation.override("zh-hans"):
        assert translation.gettext(word) == "未结"
        assert translation.pgettext("plan action", "Open") == "待处理"


def _active_plan(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE)
    Action.objects.create(plan=active, title="拜访", owner=world.kam, due_on=dt.date(2099, 1, 1))
    Risk.objects.create(
        account=world.account, plan=active, source="ours", category="quality",
        description="质量波动", probability="low", impact="low", rating="caution",
        owner=world.kam,
    )  # fmt: skip


def _badges(content: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*>([^<]+)<', content)


def test_the_plan_page_reads_plan_labels_in_chinese(world: World) -> None:
    _active_plan(world)
    with translation.override("zh-hans"):
        content = client_for(world.kam).get(plan_url(world)).content.decode()
    assert _badges(content, "plan-status") == ["执行中"]
    assert _badges(content, "action-status") == ["待处理"]
    assert "未结" not in content
    assert "<th>行动</th>" in content


def test_the_plan_page_reads_plan_labels_in_english(world: World, english: None) -> None:
    _active_plan(world)
    content = client_for(world.kam).get(plan_url(world)).content.decode()
    assert _badges(content, "plan-status") == ["Active"]
    assert _badges(content, "action-status") == ["Open"]
    assert "<th>Action</th>" in content


@pytest.mark.parametrize(("language", "active"), [("zh-hans", "执行中"), ("en", "Active")])
def test_the_overview_reads_the_statuses_of_plans(
    world: World, settings: object, language: str, active: str
) -> None:
    _active_plan(world)
    settings.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    content = client_for(world.director).get(reverse("plans:overview")).content.decode()
    labels = dict(re.findall(r'data-testid="count-(\w+)">([^:]+):', content))
    assert labels == dict(zip(PlanStatus.values, EXPECTED[language][PlanStatus], strict=True))
    assert f'-lt">{active}</span>' in content


def plan_url(world: World) -> str:
    return world.account.plans.get().get_absolute_url()
