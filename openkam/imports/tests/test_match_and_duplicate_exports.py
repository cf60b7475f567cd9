"""The matches to confirm and the likely duplicates download as CSV and XLSX, with the page's
search, for those who may import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv

pytestmark = pytest.mark.django_db


def download(client: Client, name: str, fmt: str, **params: str) -> bytes:
    response = client.get(reverse(name, args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def csv_rows(client: Client, name: str, **params: str) -> list[list[str]]:
    text = download(client, name, "csv", **params).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_pending_matches_download_with_the_account_they_point_to(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = [order_row("SO-1", 1, "2024-03-05", "上海东方电梯股份有限公司", "M-100", "1", "9", "9",
                      code="C9")]  # fmt: skip
    import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    exported = csv_rows(client_for(world.analyst), "imports:matches_export")
    assert len(exported) == 2
    assert exported[1][1:3] == ["C9", "上海东方电梯股份有限公司"]
    assert exported[1][4] == catalogue.east.legal_name


def test_the_duplicates_download_follows_the_search(world: World) -> None:
    AccountFactory.create(legal_name="上海东方电梯有限公司")
    AccountFactory.create(legal_name="上海东方电梯股份有限公司")
    AccountFactory.create(legal_name="广州南方物业有限公司")
    AccountFactory.create(legal_name="广州南方物业股份有限公司")
    client = client_for(world.executive)
    everything = [row[:1] + row[2:3] for row in csv_rows(client, "imports:duplicates_export")]
    assert ["广州南方物业有限公司", "广州南方物业股份有限公司"] in everything
    searched = csv_rows(client, "imports:duplicates_export", q="东方")
    assert [row[:1] + row[2:3] for row in searched[1:]] == [
        ["上海东方电梯有限公司", "上海东方电梯股份有限公司"]
    ]
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, "imports:duplicates_export", "xlsx", q="东方"))
    ).active
    assert sheet is not None
    assert sheet.max_row == 2


@pytest.mark.parametrize("name", ["imports:matches_export", "imports:duplicates_export"])
@pytest.mark.parametrize("persona", ["director", "kam", "viewer"])
def test_who_may_not_import_may_not_download_these_lists(
    world: World, persona: str, name: str
) -> None:
    response = client_for(getattr(world, persona)).get(reverse(name, args=["csv"]))
    assert response.status_code == 403
