"""Orders of customers we do not know by key are matched by credit code, then by name; the
uncertain matches wait for a person and are never applied silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from openkam.factories import UserFactory
from openkam.imports.models import AccountKey, AccountMatch
from openkam.imports.services import account_match_confirm, account_match_reject, import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import OrderLine
from openkam.team.models import Role

pytestmark = pytest.mark.django_db


def _orders(tmp_path: Path, customer: str, *, code: str = "", credit: str = "") -> Path:
    return write_csv(tmp_path / "o.csv", ORDER_HEADERS, [
        order_row("SO-1", 1, "2024-03-05", customer, "M-100", "1", "100", "100", code=code,
                  credit=credit),
        order_row("SO-1", 2, "2024-03-05", customer, "D-200", "1", "100", "100", code=code,
                  credit=credit),
    ])  # fmt: skip


def test_a_credit_code_matches_whatever_the_name_and_teaches_the_key(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = _orders(tmp_path, "东方电梯(上海)", code="U8-77", credit=catalogue.east.credit_code)
    assert import_run(kind="orders", path=path).rows_inserted == 2
    assert AccountKey.objects.get(external_id="U8-77").account == catalogue.east


def test_a_known_key_matches_without_name_or_credit_code(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    AccountKey.objects.create(source="erp", external_id="U8-1", account=catalogue.west)
    run = import_run(kind="orders", path=_orders(tmp_path, "", code="U8-1"))
    assert run.rows_inserted == 2
    assert set(OrderLine.objects.values_list("account_id", flat=True)) == {catalogue.west.pk}


def test_the_same_name_up_to_width_and_case_is_a_certain_match(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    run = import_run(kind="orders", path=_orders(tmp_path, " 上海东方电梯有限公司 "))
    assert run.rows_inserted == 2
    assert not AccountMatch.objects.exists()


def test_a_name_equal_only_without_its_legal_form_waits_for_a_person(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    run = import_run(kind="orders", path=_orders(tmp_path, "上海东方电梯股份有限公司", code="C9"))
    assert (run.rows_inserted, run.rows_rejected) == (0, 2)
    assert not OrderLine.objects.exists()
    match = AccountMatch.objects.get()
    assert (match.account, match.external_id, match.basis, match.rows_waiting) == (
        catalogue.east,
        "C9",
        AccountMatch.Basis.NAME,
        2,
    )


def test_a_similar_name_waits_for_a_person(tmp_path: Path, catalogue: Catalogue) -> None:
    run = import_run(kind="orders", path=_orders(tmp_path, "上海东方电悌有限公司"))
    assert run.rows_rejected == 2
    match = AccountMatch.objects.get()
    assert (match.account, match.basis) == (catalogue.east, AccountMatch.Basis.FUZZY)
    assert 80 <= match.score < 100


def test_a_confirmed_match_lets_the_rejected_rows_in(tmp_path: Path, catalogue: Catalogue) -> None:
    first = import_run(kind="orders", path=_orders(tmp_path, "上海东方电梯股份有限公司", code="C9"))
    account_match_confirm(
        match=AccountMatch.objects.get(), user=UserFactory.create(role=Role.ANALYST)
    )
    assert AccountKey.objects.get(external_id="C9").account == catalogue.east
    again = import_run(kind="orders", path=Path(first.rejected_file))
    assert (again.rows_inserted, again.rows_rejected) == (2, 0)
    assert AccountMatch.objects.get().status == AccountMatch.Status.CONFIRMED


def test_a_rejected_match_is_not_proposed_again(tmp_path: Path, catalogue: Catalogue) -> None:
    path = _orders(tmp_path, "上海东方电梯股份有限公司", code="C9")
    import_run(kind="orders", path=path)
    account_match_reject(
        match=AccountMatch.objects.get(), user=UserFactory.create(role=Role.ANALYST)
    )
    run = import_run(kind="orders", path=path)
    assert run.rows_rejected == 2
    assert AccountMatch.objects.filter(status=AccountMatch.Status.PENDING).count() == 0


def test_an_unknown_customer_is_rejected(tmp_path: Path, catalogue: Catalogue) -> None:
    run = import_run(kind="orders", path=_orders(tmp_path, "广州南方重工集团"))
    assert run.rows_rejected == 2
    assert not AccountMatch.objects.exists()
