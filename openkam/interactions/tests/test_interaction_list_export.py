"""The interactions list downloads as CSV and XLSX with the list's filters, order and
visibility, participants on both sides included."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.tests.builders import interaction

pytestmark = pytest.mark.django_db


def download(client: Client, fmt: str, **params: str) -> bytes:
    response = client.get(reverse("interactions:export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def csv_rows(client: Client, **params: str) -> list[list[str]]:
    text = download(client, "csv", **params).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_holds_the_filtered_rows_in_the_lists_order(world: World) -> None:
    today = timezone.localdate()
    buyer = ContactFactory.create(account=world.account, name="王采购")
    interaction(world.account, day=today - dt.timedelta(days=3), subject="较早拜访", theirs=[buyer])
    interaction(world.account, day=today, subject="较晚拜访", ours=[world.kam])
    interaction(world.account, day=today, kind="call", subject="电话")
    rows = csv_rows(client_for(world.executive), kind="visit", sort="starts_at")
    assert [row[4] for row in rows[1:]] == ["较早拜访", "较晚拜访"]
    assert rows[1][6] == "王采购"
    assert rows[2][5] == str(world.kam)


def test_a_director_downloads_only_their_teams_interactions(world: World) -> None:
    today = timezone.localdate()
    interaction(world.account, day=today, subject="本部门拜访")
    interaction(world.other_account, day=today, subject="其他部门拜访")
    subjects = [row[4] for row in csv_rows(client_for(world.director))[1:]]
    assert subjects == ["本部门拜访"]


def test_the_xlsx_has_headers_in_the_users_language(world: World) -> None:
    interaction(world.account, day=timezone.localdate(), subject="季度回访")
    client = client_for(world.executive)
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx"))).active
    assert sheet is not None
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header[0] == "日期和时间"
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        sheet = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx"))).active
    assert sheet is not None
    english = [cell.value for cell in next(sheet.iter_rows())]
    assert english[:3] == ["Date and time", "Kind", "Status"]


@pytest.mark.parametrize("persona", ["kam", "viewer"])
def test_kams_and_viewers_are_refused_the_download(world: World, persona: str) -> None:
    response = client_for(getattr(world, persona)).get(reverse("interactions:export", args=["csv"]))
    assert response.status_code == 403


def test_an_unknown_format_is_not_found(world: World) -> None:
    response = client_for(world.executive).get(reverse("interactions:export", args=["pdf"]))
    assert response.status_code == 404
