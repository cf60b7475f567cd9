"""One account's timeline downloads as CSV and XLSX with the timeline's filters, for whoever
may see the account (a KAM included); nobody else gets the file."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.tests.builders import interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def download(client: Client, world: World, fmt: str, **params: str) -> bytes:
    url = reverse("interactions:timeline_export", args=[world.account.pk, fmt])
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.fixture
def history(world: World) -> None:
    today = timezone.localdate()
    buyer = ContactFactory.create(account=world.account, name="王采购")
    interaction(world.account, day=today - dt.timedelta(days=9), subject="首次拜访", theirs=[buyer])
    interaction(world.account, day=today - dt.timedelta(days=2), kind="call", subject="电话跟进")
    interaction(world.other_account, day=today, subject="别的客户")


def test_a_kam_downloads_the_timeline_of_their_account_newest_first(
    world: World, history: None
) -> None:
    text = download(client_for(world.kam), world, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["Subject"] for row in rows] == ["电话跟进", "首次拜访"]
    assert rows[1]["Their participants"] == "王采购"
    assert "别的客户" not in text


def test_the_timeline_filters_apply_to_the_file(world: World, history: None) -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(download(client_for(world.viewer), world, "xlsx", kind="call"))
    )
    subjects = [row[4] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert subjects == ["电话跟进"]


def test_a_kam_of_another_team_gets_404(world: World, history: None) -> None:
    url = reverse("interactions:timeline_export", args=[world.account.pk, "csv"])
    response = client_for(world.other_kam).get(url)
    assert response.status_code == 404
    assert "首次拜访" not in response.content.decode()


def test_the_timeline_offers_the_download(world: World) -> None:
    page = client_for(world.kam).get(reverse("interactions:timeline", args=[world.account.pk]))
    url = reverse("interactions:timeline_export", args=[world.account.pk, "xlsx"])
    assert url in page.content.decode()
