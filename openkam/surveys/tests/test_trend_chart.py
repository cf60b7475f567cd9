"""The satisfaction trend as a chart on the results page: one point per answered campaign,
oldest first, NPS and role-weighted NPS (points) and the CSAT averages (1-5), pinned by hand;
series names in the reader's language; no chart (and no chart script) when nothing was
answered; another team's answers never drawn."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from openkam.conftest import World, client_for
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db


def chart_of(html: str) -> dict:
    found = re.search(
        r'<script id="survey-trend-data" type="application/json">(.*?)</script>', html
    )
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


@pytest.fixture
def waves(world: World) -> None:
    """Spring (03-31): economic buyer (10) 3 / CSAT 2, user (2) 10 / CSAT 5, technical (6)
    9 / CSAT 4: NPS 33.3, weighted (2 + 6 - 10) / 18 = -11.1, CSAT 11/3 = 3.7.
    Autumn (09-30): two contacts of weight 3 (influence 3, no role): 6 / CSAT 3 and 7 / CSAT 4:
    NPS -50, weighted -50, CSAT 3.5. A campaign nobody of ours answered is not a point;
    another team's promoter in autumn does not count."""
    spring = campaign("春季", end=dt.date(2026, 3, 31))
    answer(spring, contact(world.account, influence_level=5, influence_type="economic"), 3, csat=2)
    answer(spring, contact(world.account, influence_level=2, influence_type="user"), 10, csat=5)
    answer(spring, contact(world.account, influence_level=4, influence_type="technical"), 9, csat=4)
    autumn = campaign("秋季", end=dt.date(2026, 9, 30))
    answer(autumn, contact(world.account, influence_level=3, influence_type=""), 6, csat=3)
    answer(autumn, contact(world.account, influence_level=3, influence_type=""), 7, csat=4)
    answer(autumn, contact(world.other_account), 10, csat=5)
    silent = campaign("冬季", end=dt.date(2026, 12, 31))
    recipient(silent, contact(world.account))
    assert silent.pk


def test_the_chart_pins_each_wave(world: World, waves: None, english: None) -> None:
    html = client_for(world.kam).get("/surveys/").content.decode()
    chart = chart_of(html)
    assert chart["labels"] == ["春季", "秋季"]
    assert chart["periods"] == ["2026-03", "2026-09"]
    lines = {line["name"]: (line["axis"], line["values"]) for line in chart["series"]}
    assert lines == {
        "NPS": (0, [33.3, -50.0]),
        "Role-weighted NPS": (0, [-11.1, -50.0]),
        "CSAT product": (1, [3.7, 3.5]),
        "CSAT service": (1, [3.7, 3.5]),
        "CSAT sales staff": (1, [3.7, 3.5]),
    }
    assert 'data-testid="survey-trend-chart"' in html
    assert "/static/surveys/trend." in html


def test_the_chart_speaks_chinese(world: World, waves: None) -> None:
    client = client_for(world.kam)
    client.cookies["django_language"] = "zh-hans"
    chart = chart_of(client.get("/surveys/").content.decode())
    assert [line["name"] for line in chart["series"]] == [
        "净推荐值", "角色加权净推荐值", "产品满意度", "服务满意度", "销售人员满意度",
    ]  # fmt: skip
    assert chart["axes"] == ["净推荐值", "满意度"]


def test_no_answer_no_chart(world: World, english: None) -> None:
    empty = client_for(world.kam).get("/surveys/").content.decode()
    assert "No campaign answered yet." in empty
    assert "survey-trend-data" not in empty
    recipient(campaign("春季"), contact(world.account))  # asked, nobody answered: no point
    html = client_for(world.kam).get("/surveys/").content.decode()
    assert "survey-trend-data" not in html
    assert "/static/surveys/trend." not in html
    assert 'data-testid="trend-row"' in html  # the table still lists the campaign


def test_another_team_sees_only_its_own_points(world: World, waves: None) -> None:
    html = client_for(world.other_kam).get("/surveys/").content.decode()
    chart = chart_of(html)
    assert chart["labels"] == ["秋季"]
    assert chart["series"][0]["values"] == [100.0]
