"""Accounts, contacts and products: matched by the ERP's key, the credit code or the exact name;
empty cells leave what we know; changes keep their history; re-imports are no-ops."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openkam.accounts.models import Account
from openkam.factories import credit_code_for
from openkam.imports.models import AccountKey, ContactKey, ImportChange
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import Catalogue, write_csv
from openkam.ledger.models import Product
from openkam.relationships.models import Contact

pytestmark = pytest.mark.django_db
ACCOUNT_HEADERS = ["客户编码", "客户名称", "统一社会信用代码", "城市", "信用额度", "账期"]


def test_new_accounts_are_created_with_their_erp_keys_and_history(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ACCOUNT_HEADERS, [
        ["C001", "杭州西湖电梯有限公司", credit_code_for(900_011), "杭州", "500,000", "60"],
        ["C002", "苏州园区电梯有限公司", "", "苏州", "", ""],
    ])  # fmt: skip
    run = import_run(kind="accounts", path=path)
    assert run.counts() == {"read": 2, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    west_lake = Account.objects.get(credit_code=credit_code_for(900_011))
    assert (west_lake.city, west_lake.credit_limit, west_lake.payment_terms_days) == (
        "杭州",
        Decimal("500000"),
        60,
    )
    assert AccountKey.objects.get(source="erp", external_id="C001").account == west_lake
    assert west_lake.history.count() == 1
    again = import_run(kind="accounts", path=path)
    assert again.counts()["unchanged"] == 2
    assert Account.objects.count() == 2


def test_an_account_found_by_credit_code_is_updated_and_empty_cells_keep_what_we_know(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    east = catalogue.east
    path = write_csv(tmp_path / "a.csv", ACCOUNT_HEADERS, [
        ["K9", "上海东方电梯有限公司", east.credit_code, "", "2,000,000", ""],
    ])  # fmt: skip
    run = import_run(kind="accounts", path=path)
    assert run.counts()["updated"] == 1
    east.refresh_from_db()
    assert east.credit_limit == Decimal("2000000")
    assert east.city == "上海市"  # the empty cell did not blank it
    assert east.history.count() == 2
    change = ImportChange.objects.get()
    assert change.before == {"credit_limit": "1000000.00"}
    assert AccountKey.objects.get(external_id="K9").account == east


def test_a_credit_code_of_another_account_than_the_key_is_rejected(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    AccountKey.objects.create(source="erp", external_id="K1", account=catalogue.east)
    path = write_csv(tmp_path / "a.csv", ACCOUNT_HEADERS, [
        ["K1", "上海东方电梯有限公司", catalogue.west.credit_code, "", "", ""],
    ])  # fmt: skip
    run = import_run(kind="accounts", path=path)
    assert run.rows_rejected == 1
    catalogue.east.refresh_from_db()
    assert catalogue.east.credit_code == credit_code_for(900_001)


def test_contacts_are_matched_by_key_or_by_account_and_name(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    headers = ["联系人编码", "客户名称", "姓名", "职务", "手机", "邮箱"]
    path = write_csv(tmp_path / "c.csv", headers, [
        ["P1", "上海东方电梯有限公司", "王伟", "采购总监", "13800000000", "wang@example.cn"],
        ["", "成都西部电梯股份有限公司", "李娜", "总工程师", "", ""],
        ["P3", "上海东方电梯有限公司", "赵六", "", "", "not-an-email"],
    ])  # fmt: skip
    run = import_run(kind="contacts", path=path)
    assert run.counts() == {"read": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    wang = Contact.objects.get(name="王伟")
    assert (wang.account, wang.title) == (catalogue.east, "采购总监")
    assert ContactKey.objects.get(external_id="P1").contact == wang
    assert import_run(kind="contacts", path=path).counts()["unchanged"] == 2
    changed = write_csv(tmp_path / "c2.csv", headers, [
        ["P1", "上海东方电梯有限公司", "王伟", "副总经理", "", ""],
    ])  # fmt: skip
    assert import_run(kind="contacts", path=changed).counts()["updated"] == 1
    wang.refresh_from_db()
    assert (wang.title, wang.phone) == ("副总经理", "13800000000")
    assert wang.history.count() == 2


def test_products_are_keyed_by_sku(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "p.csv", ["物料编码", "物料名称", "产品系列", "标准成本"], [
        ["M-100", "曳引机", "主机", "650.00"],
        ["S-300", "安全钳", "安全部件", "80"],
    ])  # fmt: skip
    run = import_run(kind="products", path=path)
    assert run.counts() == {"read": 2, "inserted": 1, "updated": 1, "unchanged": 0, "rejected": 0}
    assert Product.objects.get(sku="M-100").standard_cost == Decimal("650")
    assert Product.objects.get(sku="S-300").family == "安全部件"
    assert import_run(kind="products", path=path).counts()["unchanged"] == 2


def test_two_new_customers_with_one_credit_code_store_the_first_and_reject_the_second(
    tmp_path: Path,
) -> None:
    code = credit_code_for(900_021)
    path = write_csv(tmp_path / "a.csv", ACCOUNT_HEADERS, [
        ["C1", "宁波港口机械有限公司", code, "", "", ""],
        ["C2", "宁波港机有限公司", code, "", "", ""],
    ])  # fmt: skip
    run = import_run(kind="accounts", path=path)
    assert (run.rows_inserted, run.rows_rejected) == (1, 1)
    assert Account.objects.get(credit_code=code).legal_name == "宁波港口机械有限公司"


def test_a_name_shared_by_two_accounts_needs_a_code(tmp_path: Path) -> None:
    Account.objects.create(legal_name="温州电梯有限公司")
    Account.objects.create(legal_name="温州电梯有限公司")
    path = write_csv(tmp_path / "a.csv", ["客户名称", "城市"], [["温州电梯有限公司", "温州"]])
    run = import_run(kind="accounts", path=path)
    assert run.rows_rejected == 1
    assert Account.objects.filter(city="温州").count() == 0
