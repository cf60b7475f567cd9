"""XLSX sheet names come from account names; Excel forbids / \\ : * ? [ ] in them and allows
31 characters. Every export cleans the name in one place instead of failing with a 500."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from openkam.common.exports import Column, excel_sheet_name, write_xlsx
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory

NAME = "上海/苏州电梯有限公司"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NAME, "上海-苏州电梯有限公司"),
        (r"a\b:c*d?e[f]g", "a-b-c-d-e-f-g"),
        ("'引号'", "引号"),
        ("", "Sheet1"),
        ("///", "---"),
        ("'", "Sheet1"),
    ],
)
def test_a_sheet_name_loses_what_excel_refuses(text: str, expected: str) -> None:
    assert excel_sheet_name(text) == expected


def test_a_long_name_is_cut_at_31_utf16_units() -> None:
    assert excel_sheet_name("电" * 40) == "电" * 31
    # An emoji is two UTF-16 units, so 15 of them and one letter make 31.
    assert excel_sheet_name("😀" * 16 + "x") == "😀" * 15
    assert excel_sheet_name("a" * 30 + "'b") == "a" * 30


def test_a_workbook_with_any_name_opens() -> None:
    buffer = io.BytesIO()
    write_xlsx(buffer, [NAME], [Column("名称", str)], sheet_name=f"{NAME} {'长' * 40}")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == excel_sheet_name(f"{NAME} {'长' * 40}")
    assert sheet.cell(row=2, column=1).value == NAME


def download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["relationships:contacts_export", "interactions:timeline_export"]
)
def test_contacts_and_timeline_of_an_account_with_a_slash_download_as_xlsx(
    world: World, url_name: str
) -> None:
    world.account.legal_name = NAME
    world.account.short_name = "上海/苏州[电梯]"
    world.account.save()
    ContactFactory.create(account=world.account, name="王经理")
    url = reverse(url_name, args=[world.account.pk, "xlsx"])
    workbook = openpyxl.load_workbook(io.BytesIO(download(client_for(world.kam), url)))
    assert workbook.active.title.startswith("上海-苏州-电梯-")
