"""The case page's timeline names what changed as the user reads it: a status or a kind by
its label in the page's language (never its stored code), a person by their name."""

from __future__ import annotations

import re

import pytest

from openkam.conftest import World, client_for
from openkam.service import services
from openkam.service.models import ServiceCase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def timeline(world: World, made: ServiceCase, language: str) -> str:
    client = client_for(world.kam)
    client.cookies["django_language"] = language
    page = client.get(made.get_absolute_url()).content.decode()
    found = re.search(r'data-testid="case-timeline".*?</ul>', page, re.S)
    assert found is not None
    return found.group(0)


@pytest.fixture
def moved(world: World) -> ServiceCase:
    made = services.case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", title="曳引机异响"
    )
    services.case_move(user=world.kam, case_id=made.pk, status="in_progress")
    services.case_update(
        user=world.kam, case_id=made.pk, kind="quality_claim", owner=world.director
    )
    return made


def test_the_timeline_shows_labels_in_english(world: World, moved: ServiceCase) -> None:
    shown = timeline(world, moved, "en")
    assert "New → In progress" in shown
    assert "Complaint → Quality claim" in shown
    assert f"{world.kam} → {world.director}" in shown
    for code in ("in_progress", "quality_claim", "complaint", "→ new"):
        assert code not in shown


def test_the_timeline_shows_labels_in_chinese(world: World, moved: ServiceCase) -> None:
    shown = timeline(world, moved, "zh-hans")
    assert "新建 → 处理中" in shown
    assert "投诉 → 质量索赔" in shown
    assert "In progress" not in shown
    for code in ("in_progress", "quality_claim", "complaint"):
        assert code not in shown
