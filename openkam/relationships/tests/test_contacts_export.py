"""The relationship map's contacts download as CSV (UTF-8 with BOM) and XLSX, every buying-role
field included, in the map's order; only for whoever may see the account."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.relationships.models import Support

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(world: World, fmt: str) -> str:
    return reverse("relationships:contacts_export", args=[world.account.pk, fmt])


@pytest.fixture
def contacts(world: World) -> None:
    boss = ContactFactory.create(
        account=world.account, name="王总", influence_level=5, support=Support.CHAMPION,
        stage_choice=True, need_1="交期稳定", email="wang@example.cn",
    )  # fmt: skip
    ContactFactory.create(
        account=world.account, name="李工", influence_level=3, reports_to=boss,
        support=Support.OPPONENT, stage_needs=True, is_active=True,
    )  # fmt: skip
    ContactFactory.create(account=world.other_account, name="别人家的联系人")


def test_the_csv_holds_every_contact_of_the_account_with_their_buying_roles(
    world: World, contacts: None
) -> None:
    response = client_for(world.kam).get(url(world, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["Name"] for row in rows] == ["王总", "李工"]  # most influential first
    boss, engineer = rows
    assert boss["Support for us"] == "Champion"
    assert (boss["3 Choosing"], boss["1 Understanding needs"]) == ("1", "0")
    assert (engineer["3 Choosing"], engineer["1 Understanding needs"]) == ("0", "1")
    assert boss["Top need 1"] == "交期稳定"
    assert boss["Email"] == "wang@example.cn"
    assert engineer["Reports to"] == "王总"
    assert engineer["Support for us"] == "Opponent"
    assert "别人家的联系人" not in text


def test_the_xlsx_has_the_same_rows(world: World, contacts: None) -> None:
    response = client_for(world.kam).get(url(world, "xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("Name")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["王总", "李工"]
    level = header.index("Influence (1-5)")
    assert [row[level] for row in sheet.iter_rows(min_row=2, values_only=True)] == [5, 3]


def test_a_kam_of_another_team_gets_404_and_no_file(world: World, contacts: None) -> None:
    response = client_for(world.other_kam).get(url(world, "csv"))
    assert response.status_code == 404
    assert "王总" not in response.content.decode()


def test_the_map_offers_the_download(world: World, contacts: None) -> None:
    html = client_for(world.viewer).get(reverse("relationships:map", args=[world.account.pk]))
    assert url(world, "xlsx") in html.content.decode()


def test_an_unknown_format_is_404(world: World, contacts: None) -> None:
    assert client_for(world.kam).get(url(world, "pdf")).status_code == 404
