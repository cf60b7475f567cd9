"""KAMs and directors import the ledger of the accounts they may write (issue 15): the upload
page offers them the ledger kinds only; a row of an existing account they may not write is
rejected naming the row, the customer column and the reason (with "all or nothing", the whole
file refused and nothing stored); the accounts their file creates are theirs (a KAM's: their
team and themselves; a director's: their team, no owner); an analyst's import keeps creating
accounts without a team; a viewer is refused and nothing is saved; each sees only their runs."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.imports.models import AccountKey, ImportRun
from openkam.imports.selectors import import_scope, kinds_for
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import read_csv, write_csv
from openkam.ledger.models import Invoice, Order, OrderLine, Payment, Product
from openkam.team.models import User

pytestmark = pytest.mark.django_db
HEADER = ["客户编码", "客户名称", "日期", "金额"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _file(tmp_path: Path, world: World) -> Path:
    rows = [
        ["K-1", world.account.legal_name, "2024-03-05", "100.00"],  # the KAM's own account
        ["K-2", world.other_account.legal_name, "2024-03-06", "70.00"],  # another team's
        ["K-3", "宁波全新客户有限公司", "2024-03-07", "30.00"],  # new to OpenKAM
    ]
    return write_csv(tmp_path / "tx.csv", HEADER, rows)


def _upload(user: User, path: Path, kind: str = "transactions", **extra: str) -> ImportRun | None:
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    response = client_for(user).post(
        reverse("imports:upload"),
        {"kind": kind, "source": "shop", "file": upload, **extra},
    )
    assert response.status_code in (302, 400, 403), response.status_code
    return ImportRun.objects.order_by("-pk").first()


def test_a_kam_imports_their_rows_and_the_other_teams_row_is_rejected_naming_it(
    tmp_path: Path, world: World
) -> None:
    run = _upload(world.kam, _file(tmp_path, world))
    assert run is not None
    assert run.user == world.kam
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.counts() == {"read": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    [_header, rejected] = read_csv(run.rejected_file)
    assert rejected[:4] == ["K-2", world.other_account.legal_name, "2024-03-06", "70.00"]
    assert rejected[4] == "3"  # the row of the file (after the header)
    assert rejected[5] == "客户名称"  # the customer column that matched
    assert rejected[6].startswith("该客户属于您无权写入的客户")  # the page's language
    assert not Order.objects.filter(account=world.other_account).exists()
    assert OrderLine.objects.get(order__account=world.account).amount == Decimal("100.00")
    # The key of the refused customer is not learnt for the next files.
    assert not AccountKey.objects.filter(external_id="K-2").exists()
    new = Account.objects.get(legal_name="宁波全新客户有限公司")
    assert (new.team, new.owner) == (world.team, world.kam)
    assert new.history.get().history_user == world.kam


def test_a_kams_all_or_nothing_file_is_refused_whole_and_nothing_is_stored(
    tmp_path: Path, world: World
) -> None:
    accounts, orders = Account.objects.count(), Order.objects.count()
    run = _upload(world.kam, _file(tmp_path, world), atomic="on")
    assert run is not None
    assert run.status == ImportRun.Status.REFUSED
    assert run.rows_rejected == 1
    assert (Account.objects.count(), Order.objects.count()) == (accounts, orders)


def test_a_known_key_of_another_teams_account_is_refused_naming_the_code_column(
    tmp_path: Path, world: World
) -> None:
    AccountKey.objects.create(source="shop", external_id="K-9", account=world.other_account)
    path = write_csv(tmp_path / "k.csv", HEADER, [["K-9", "别的名字", "2024-03-05", "10"]])
    run = import_run(kind="transactions", path=path, source="shop", user=world.kam)
    assert run.rows_rejected == 1
    assert read_csv(run.rejected_file)[1][5] == "客户编码"
    assert not Order.objects.exists()


def test_a_kams_order_of_another_accounts_stored_order_is_rejected(
    tmp_path: Path, world: World
) -> None:
    """An order number already stored for another team's account: the KAM's row would move
    it to their account; it is rejected and the order stays where it was."""
    header = ["订单号", "下单日期", "客户名称", "产品编码", "数量", "金额"]
    their_row = ["SO-1", "2024-03-05", world.other_account.legal_name, "M-1", "1", "9"]
    theirs = write_csv(tmp_path / "a.csv", header, [their_row])
    Product.objects.create(sku="M-1", name="曳引机")
    assert import_run(kind="orders", path=theirs, source="erp", user=world.analyst).rows_inserted
    my_row = ["SO-1", "2024-03-05", world.account.legal_name, "M-1", "1", "5"]
    mine = write_csv(tmp_path / "b.csv", header, [my_row])
    run = import_run(kind="orders", path=mine, source="erp", user=world.kam)
    assert run.rows_rejected == 1
    assert read_csv(run.rejected_file)[1][-3:-1] == ["2", "订单号"]
    order = Order.objects.get(external_id="SO-1")
    assert order.account == world.other_account
    assert order.lines.get().amount == Decimal("9.00")


def test_a_directors_new_accounts_get_their_team_and_no_owner(tmp_path: Path, world: World) -> None:
    row = ["D-1", "杭州新客户有限公司", "2024-03-05", "10"]
    path = write_csv(tmp_path / "d.csv", HEADER, [row])
    run = _upload(world.director, path)
    assert run is not None
    assert run.status == ImportRun.Status.DONE, run.message
    new = Account.objects.get(legal_name="杭州新客户有限公司")
    assert (new.team, new.owner) == (world.team, None)
    # ... and the director writes to their team's accounts, not to another team's.
    scope = import_scope(world.director)
    assert scope.writable is not None
    assert world.account.pk in scope.writable
    assert world.other_account.pk not in scope.writable


def test_an_analysts_import_keeps_creating_accounts_without_a_team(
    tmp_path: Path, world: World
) -> None:
    run = _upload(world.analyst, _file(tmp_path, world))
    assert run is not None
    assert run.rows_rejected == 0
    assert run.rows_inserted == 3
    new = Account.objects.get(legal_name="宁波全新客户有限公司")
    assert (new.team, new.owner) == (None, None)
    assert Order.objects.filter(account=world.other_account).count() == 1
    assert import_scope(world.executive).writable is None


def test_a_viewer_is_refused_and_nothing_is_saved(tmp_path: Path, world: World) -> None:
    accounts = Account.objects.count()
    upload = SimpleUploadedFile("tx.csv", _file(tmp_path, world).read_bytes())
    client = client_for(world.viewer)
    response = client.post(reverse("imports:upload"), {"kind": "transactions", "file": upload,
                                                       "source": "shop"})  # fmt: skip
    assert response.status_code == 403
    assert client.get(reverse("imports:list")).status_code == 403
    assert not ImportRun.objects.exists()
    assert Account.objects.count() == accounts


def test_a_kam_may_not_import_the_account_master_and_nothing_is_saved(
    tmp_path: Path, world: World
) -> None:
    path = write_csv(tmp_path / "a.csv", ["客户名称"], [["新公司有限公司"]])
    assert _upload(world.kam, path, kind="accounts") is None
    assert not Account.objects.filter(legal_name="新公司有限公司").exists()
    assert [kind for kind, _label in kinds_for(world.kam)] == [
        "transactions", "orders", "invoices", "payments"
    ]  # fmt: skip
    page = client_for(world.kam).get(reverse("imports:list")).content.decode()
    offered = page.split('data-testid="kind-select"')[1].split("</select>")[0]
    assert 'value="transactions"' in offered
    assert 'value="accounts"' not in offered
    assert 'data-testid="own-import-note"' in page
    assert reverse("imports:matches") not in page  # the matches stay the analysts'
    for refused in ("imports:matches", "imports:duplicates"):
        assert client_for(world.kam).get(reverse(refused)).status_code == 403


def test_each_kam_sees_only_their_own_runs(tmp_path: Path, world: World) -> None:
    run = _upload(world.kam, _file(tmp_path, world))
    assert run is not None
    other = client_for(world.other_kam)
    assert other.get(reverse("imports:detail", args=[run.pk])).status_code == 404
    assert other.get(reverse("imports:rejected", args=[run.pk])).status_code == 404
    assert other.post(reverse("imports:retry", args=[run.pk])).status_code == 404
    assert run.file_name not in other.get(reverse("imports:list")).content.decode()
    mine = client_for(world.kam)
    assert mine.get(reverse("imports:detail", args=[run.pk])).status_code == 200
    assert run.file_name in mine.get(reverse("imports:list")).content.decode()
    assert ImportRun.objects.count() == 1


def test_a_kams_invoice_or_payment_of_another_accounts_number_is_rejected(
    tmp_path: Path, world: World
) -> None:
    """An invoice number stored for another team's account (its upsert would move it), and a
    payment against such an invoice (it would link to it): rejected, nothing changed."""
    invoice_header = ["发票号码", "开票日期", "客户名称", "价税合计"]
    their_row = ["FP1", "2024-03-10", world.other_account.legal_name, "113.00"]
    theirs = write_csv(tmp_path / "i.csv", invoice_header, [their_row])
    assert import_run(kind="invoices", path=theirs, user=world.analyst).rows_inserted == 1
    mine = write_csv(tmp_path / "j.csv", invoice_header,
                     [["FP1", "2024-03-10", world.account.legal_name, "1.00"],
                      ["FP2", "2024-03-11", world.account.legal_name, "2.00"]])  # fmt: skip
    run = import_run(kind="invoices", path=mine, user=world.kam)
    assert run.counts()["inserted"] == 1
    assert [r[-3:-1] for r in read_csv(run.rejected_file)[1:]] == [["2", "发票号码"]]
    invoice = Invoice.objects.get(external_id="FP1")
    assert (invoice.account, invoice.amount) == (world.other_account, Decimal("113.00"))
    payment_header = ["收款单号", "回款日期", "客户名称", "回款金额", "发票号"]
    paid_row = ["SK1", "2024-04-01", world.account.legal_name, "113.00", "FP1"]
    paid = write_csv(tmp_path / "p.csv", payment_header, [paid_row])
    run = import_run(kind="payments", path=paid, user=world.kam)
    assert run.rows_rejected == 1
    assert read_csv(run.rejected_file)[1][-2] == "发票号"
    assert not Payment.objects.exists()
