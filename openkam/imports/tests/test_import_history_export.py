"""The import history downloads as CSV and XLSX with its filters, for those who may import."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.imports.models import ImportRun

pytestmark = pytest.mark.django_db


def run(kind: str, file_name: str, **counts: int) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind, source="用友", file_name=file_name, sha256="ab" * 32, status="done", **counts
    )


def download(client: Client, fmt: str, **params: str) -> bytes:
    response = client.get(reverse("imports:export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_csv_lists_the_filtered_runs_with_their_counts(world: World) -> None:
    run("orders", "订单2026.csv", rows_read=10, rows_inserted=7, rows_rejected=3)
    run("accounts", "客户.xlsx", rows_read=5, rows_unchanged=5)
    text = download(client_for(world.analyst), "csv", kind="orders").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][3] == "订单2026.csv"
    assert rows[1][6:11] == ["10", "7", "0", "0", "3"]


def test_the_xlsx_carries_english_headers_for_an_english_user(world: World) -> None:
    run("orders", "orders.csv", rows_read=1)
    client = client_for(world.executive)
    client.cookies["django_language"] = "en"
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx"))).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Started", "Kind", "Source system", "File"]
    assert rows[1][3] == "orders.csv"


def test_a_viewer_may_not_download_the_history(world: World) -> None:
    run("orders", "订单.csv")
    response = client_for(world.viewer).get(reverse("imports:export", args=["csv"]))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["director", "kam"])
def test_a_kam_or_director_downloads_only_their_own_runs(world: World, persona: str) -> None:
    user = getattr(world, persona)
    run("orders", "别人的订单.csv")
    ImportRun.objects.create(kind="transactions", source="网店", file_name="我的流水.csv",
                             sha256="cd" * 32, status="done", user=user)  # fmt: skip
    text = download(client_for(user), "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row[3] for row in rows[1:]] == ["我的流水.csv"]
