"""Prospects from a lead list: the file read by the import engine's edge (GB18030 with a title
above the header, totals rows, XLSX with English headers, pasted rows), each row screened as
the account-create form screens a new account, the picked rows converted all or none, and the
refusals per persona with nothing saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account, Industry, LifecycleStage
from openkam.common.credit_code import check_character
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.pipeline import leads, services
from openkam.relationships.models import Contact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LEADS = reverse("pipeline:leads")
CONVERT = reverse("pipeline:leads-convert")


def code(first17: str) -> str:
    return first17 + check_character(first17)


CODE_A = code("91330100MA2XXXXX1")
CODE_B = code("91330100MA2XXXXX2")

GB_CSV = (
    "2026年杭州工博会参展商名单\n"
    "公司名称,统一社会信用代码,所属行业,区域,联系人,联系电话,来源,备注\n"
    f"杭州远景电机有限公司,{CODE_A},机械制造,华东,王磊,13800000001,工博会,A馆\n"
    ",,,,,,,\n"
    f"宁波海川精密股份有限公司,{CODE_B},精密加工,华东,,0574-8888,工博会,\n"
    ",,,,李娜,,,\n"
    "合计,,,,,,,\n"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def read(name: str, content: bytes) -> leads.LeadList:
    return leads.read_upload(upload(name, content))


def test_a_gb18030_list_with_a_title_and_a_totals_row_is_read_by_row_number() -> None:
    found = read("展会名单.csv", GB_CSV.encode("gb18030"))
    assert [lead.number for lead in found.leads] == [3, 5, 6]
    first = found.leads[0]
    assert (first.name, first.credit_code, first.industry, first.region) == (
        "杭州远景电机有限公司", CODE_A, "机械制造", "华东",
    )  # fmt: skip
    assert (first.contact, first.phone, first.source) == ("王磊", "13800000001", "工博会")
    assert found.leads[2].name == ""
    assert found.leads[2].contact == "李娜"
    assert found.ignored == ["备注"]


def test_an_xlsx_with_english_headers_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fair.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row, cells in enumerate(
        [["Company Name", "Credit code", "Industry", "Region", "Contact", "Source"],
         ["Ningbo Tide Motors Co., Ltd.", CODE_A, "", "East China", "Li Na", "Expo"]]
    ):  # fmt: skip
        sheet.write_row(row, 0, cells)
    book.close()
    found = read("fair.xlsx", path.read_bytes())
    assert found.columns == ["name", "credit_code", "industry", "region", "contact", "source"]
    assert found.leads[0].name == "Ningbo Tide Motors Co., Ltd."
    assert found.leads[0].number == 2


def test_pasted_rows_from_a_spreadsheet_are_read_as_the_file_is() -> None:
    found = leads.read_upload(None, "企业名称\t联系人\n杭州远景电机有限公司\t王磊\n")
    assert [(lead.number, lead.name, lead.contact) for lead in found.leads] == [
        (2, "杭州远景电机有限公司", "王磊")
    ]


def test_a_list_without_a_company_name_column_is_refused_naming_the_columns_found() -> None:
    with pytest.raises(ValidationError) as caught:
        read("x.csv", "联系人,电话\n王磊,138\n".encode())
    assert "联系人、电话" in caught.value.message_dict["file"][0]


def test_a_file_that_is_not_a_table_is_refused_on_the_file_field() -> None:
    with pytest.raises(ValidationError) as caught:
        read("x.pdf", b"%PDF-1.4")
    assert ".csv" in caught.value.message_dict["file"][0]


def test_screening_names_the_row_and_field_of_each_refusal(world: World) -> None:
    AccountFactory.create(legal_name="深圳他队科技有限公司", credit_code=CODE_B,
                          team=world.other_team, owner=world.other_kam)  # fmt: skip
    rows = leads.leads_from_cells(
        [
            {"number": 2, "name": "杭州远景电机有限公司", "credit_code": CODE_A},
            {"number": 3, "name": "", "contact": "李娜"},
            {"number": 4, "name": "宁波海川精密有限公司", "credit_code": CODE_B},
            {"number": 5, "name": "温州新厂有限公司", "credit_code": "91330100MA2XXXXX10"},
            {"number": 6, "name": "杭州远景电机股份有限公司"},
            {"number": 7, "name": "苏州新纪元有限公司", "credit_code": CODE_A},
        ]
    )
    screened = leads.screen_leads(world.kam, rows)
    errors = {lead.number: lead.errors for lead in screened}
    assert errors[2] == []
    assert errors[3] == ["Row 3, company name: missing"]
    # Another team's account holds the code: refused without naming it.
    assert errors[4] == ["Row 4, credit code: another account already has this credit code"]
    assert errors[5][0].startswith("Row 5, credit code: not a valid credit code")
    assert errors[6] == ["Row 6, company name: the same company as row 2"]
    assert errors[7] == ["Row 7, credit code: the same as row 2"]
    assert "深圳他队" not in json.dumps(errors, ensure_ascii=False)


def test_screening_shows_the_accounts_the_row_may_duplicate(world: World) -> None:
    mine = AccountFactory.create(legal_name="杭州远景电机有限公司", credit_code="",
                                 team=world.team, owner=world.kam)  # fmt: skip
    Industry.objects.create(code="MACH", name="机械制造", name_en="Machinery")
    rows = leads.leads_from_cells(
        [
            {"number": 2, "name": "杭州远景电机股份有限公司", "industry": "机械制造"},
            {"number": 3, "name": "全新企业有限公司", "industry": "光伏", "region": "East China"},
        ]
    )
    first, second = leads.screen_leads(world.kam, rows)
    assert first.ready
    assert first.duplicates == [mine]
    assert first.industry_id == Industry.objects.get(code="MACH").pk
    assert not first.warnings
    assert second.ready
    assert second.duplicates == []
    assert second.region_code == "east"
    assert second.warnings == ["Industry not recognised: kept in the notes."]


def _screened(client: Client, content: bytes, name: str = "展会名单.csv") -> str:
    response = client.post(LEADS, {"file": upload(name, content)})
    assert response.status_code == 200
    return str(response.context["convert"]["rows"].value())


def test_a_kam_screens_a_list_and_converts_the_picked_rows(world: World) -> None:
    client = client_for(world.kam)
    cells = _screened(client, GB_CSV.encode("gb18030"))
    before = Account.objects.count()
    response = client.post(
        CONVERT, {"rows": cells, "list_name": "展会名单.csv", "picked": ["3", "5"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:prospects")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 prospects created from the lead list."
    ]
    assert Account.objects.count() == before + 2
    first = Account.objects.get(credit_code=CODE_A)
    assert first.lifecycle_stage == LifecycleStage.IDENTIFICATION
    assert (first.owner, first.team) == (world.kam, world.team)
    assert first.notes.splitlines() == [
        "From the lead list 展会名单.csv, row 3.", "Source: 工博会", "Industry: 机械制造",
    ]  # fmt: skip
    assert first.phone == ""
    assert first.region == "east"
    contact = Contact.objects.get(account=first)
    assert (contact.name, contact.phone) == ("王磊", "13800000001")
    second = Account.objects.get(credit_code=CODE_B)
    assert second.phone == "0574-8888"
    assert not Contact.objects.filter(account=second).exists()
    assert first.history.get().history_user == world.kam


def test_one_refused_row_saves_nothing_and_names_it(world: World) -> None:
    client = client_for(world.kam)
    cells = _screened(client, GB_CSV.encode("gb18030"))
    # Meanwhile another team records the second company.
    AccountFactory.create(credit_code=CODE_B, team=world.other_team, owner=world.other_kam)
    accounts, contacts = Account.objects.count(), Contact.objects.count()
    response = client.post(CONVERT, {"rows": cells, "list_name": "x.csv", "picked": ["3", "5"]})
    assert response.status_code == 400
    assert "Row 5, credit code: another account already has this credit code" in (
        response.content.decode()
    )
    assert (Account.objects.count(), Contact.objects.count()) == (accounts, contacts)


def test_a_picked_row_without_a_name_is_refused_and_nothing_saved(world: World) -> None:
    client = client_for(world.kam)
    cells = _screened(client, GB_CSV.encode("gb18030"))
    before = Account.objects.count()
    response = client.post(CONVERT, {"rows": cells, "list_name": "x.csv", "picked": ["3", "6"]})
    assert response.status_code == 400
    assert "Row 6, company name: missing" in response.content.decode()
    assert Account.objects.count() == before


def test_nothing_picked_or_a_damaged_list_is_refused(world: World) -> None:
    client = client_for(world.kam)
    before = Account.objects.count()
    cells = _screened(client, GB_CSV.encode("gb18030"))
    assert client.post(CONVERT, {"rows": cells, "list_name": "x"}).status_code == 400
    damaged = client.post(CONVERT, {"rows": "{not json", "list_name": "x", "picked": ["3"]})
    assert damaged.status_code == 400
    assert "damaged" in damaged.content.decode()
    assert Account.objects.count() == before


def test_a_director_gives_the_prospects_to_a_kam_of_their_team(world: World) -> None:
    client = client_for(world.director)
    cells = _screened(client, GB_CSV.encode("gb18030"))
    response = client.post(
        CONVERT, {"rows": cells, "list_name": "x", "picked": ["3"], "owner": world.kam.pk}
    )
    assert response.status_code == 302
    created = Account.objects.get(credit_code=CODE_A)
    assert (created.owner, created.team) == (world.kam, world.team)


def test_a_director_cannot_give_them_to_another_teams_kam(world: World) -> None:
    client = client_for(world.director)
    cells = _screened(client, GB_CSV.encode("gb18030"))
    before = Account.objects.count()
    response = client.post(
        CONVERT, {"rows": cells, "list_name": "x", "picked": ["3"], "owner": world.other_kam.pk}
    )
    assert response.status_code == 400
    assert response.context["convert"].errors["owner"]
    other_team = client.post(
        CONVERT, {"rows": cells, "list_name": "x", "picked": ["3"], "team": world.other_team.pk}
    )
    assert other_team.status_code == 400
    assert other_team.context["convert"].errors["team"]
    assert Account.objects.count() == before


def test_the_owner_rule_refuses_another_teams_owner_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.lead_owner(world.director, owner_id=world.other_kam.pk, team_id=None)
    assert "owner_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.lead_owner(world.kam, owner_id=world.other_kam.pk, team_id=None)
    assert "owner_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.lead_owner(world.kam, owner_id=None, team_id=world.other_team.pk)
    assert "team_id" in caught.value.message_dict
    assert services.lead_owner(world.kam, owner_id=None, team_id=None) == (
        world.kam.pk, world.team.pk,
    )  # fmt: skip
    assert services.lead_owner(world.executive, owner_id=world.other_kam.pk, team_id=None) == (
        world.other_kam.pk, world.other_team.pk,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_are_refused_both_steps_and_nothing_is_saved(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    before = Account.objects.count()
    assert client.get(LEADS).status_code == 403
    assert (
        client.post(LEADS, {"file": upload("x.csv", GB_CSV.encode("gb18030"))}).status_code == 403
    )
    cells = json.dumps([{"number": 2, "name": "杭州远景电机有限公司"}], ensure_ascii=False)
    response = client.post(CONVERT, {"rows": cells, "list_name": "x", "picked": ["2"]})
    assert response.status_code == 403
    assert Account.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.prospects_convert(
            user=getattr(world, who), leads=leads.leads_from_cells(json.loads(cells)),
            picked=[2], list_name="x",
        )  # fmt: skip
    assert Account.objects.count() == before


def test_the_page_shows_each_rows_screening(world: World) -> None:
    AccountFactory.create(legal_name="杭州远景电机有限公司", credit_code="",
                          team=world.team, owner=world.kam)  # fmt: skip
    response = client_for(world.kam).post(
        LEADS, {"file": upload("a.csv", GB_CSV.encode("gb18030"))}
    )
    page = response.content.decode()
    assert "3 rows screened" in page
    assert "2 ready, of which 1 may be an account we have; 1 refused." in page
    assert 'data-testid="pick-5"' in page
    assert 'data-testid="pick-6"' not in page
    # A possible duplicate is not ticked beforehand; a clean row is.
    assert 'value="3" aria-label="Convert row 3" data-testid="pick-3">' in page
    assert 'data-testid="pick-5" checked' in page
