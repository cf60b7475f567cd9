"""Merging two accounts moves every row that refers to the dropped one, keeps history, and can
be undone exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account, FinancialYear
from openkam.common.credit_code import check_character
from openkam.factories import AccountFactory, ContactFactory, UserFactory, credit_code_for
from openkam.imports.merging import (
    DISTINCT_CODES,
    MergeError,
    account_duplicates,
    account_merge,
    account_merge_undo,
)
from openkam.imports.models import AccountKey
from openkam.ledger.models import AccountMonth, Order, OrderLine, Product
from openkam.ledger.services import aggregates_rebuild
from openkam.relationships.models import Contact
from openkam.team.models import Role

pytestmark = pytest.mark.django_db


def _order(account: Account, product: Product, no: str, amount: str) -> None:
    order = Order.objects.create(account=account, order_no=no, order_date=dt.date(2024, 3, 5),
                                 external_id=no, source="erp")  # fmt: skip
    OrderLine.objects.create(order=order, account=account, product=product, quantity=1,
                             unit_price=Decimal(amount), amount=Decimal(amount),
                             external_id=no)  # fmt: skip


@pytest.fixture
def pair() -> tuple[Account, Account, Product]:
    keep = AccountFactory.create(legal_name="上海东方电梯有限公司", phone="")
    drop = AccountFactory.create(legal_name="上海东方电梯股份有限公司", phone="021-5555-1234")
    product = Product.objects.create(sku="M-1", name="曳引机")
    _order(keep, product, "SO-1", "100")
    _order(drop, product, "SO-2", "50")
    aggregates_rebuild()
    ContactFactory.create(account=drop, name="王伟")
    AccountKey.objects.create(source="erp", external_id="C-2", account=drop)
    FinancialYear.objects.create(account=keep, year=2023, revenue=Decimal("1"))
    FinancialYear.objects.create(account=drop, year=2023, revenue=Decimal("2"))
    FinancialYear.objects.create(account=drop, year=2022, revenue=Decimal("3"))
    return keep, drop, product


def test_merge_moves_children_and_sets_conflicting_rows_aside(
    pair: tuple[Account, Account, Product],
) -> None:
    keep, drop, _product = pair
    user = UserFactory.create(role=Role.ANALYST)
    merge = account_merge(keep=keep, drop=drop, user=user)
    assert not Account.objects.filter(pk=drop.pk).exists()
    assert set(Order.objects.values_list("account_id", flat=True)) == {keep.pk}
    assert set(OrderLine.objects.values_list("account_id", flat=True)) == {keep.pk}
    assert Contact.objects.get(name="王伟").account == keep
    assert AccountKey.objects.get(external_id="C-2").account == keep
    assert sorted(FinancialYear.objects.values_list("account_id", "year")) == [
        (keep.pk, 2022),
        (keep.pk, 2023),
    ]
    assert len(merge.set_aside) == 1  # drop's 2023, the year the kept account has too
    assert AccountMonth.objects.get(account=keep).revenue == Decimal("150")
    keep.refresh_from_db()
    assert keep.phone == "021-5555-1234"  # blank fields filled from the dropped account
    assert Account.history.filter(id=drop.pk, history_type="-").get().history_user == user
    assert Contact.history.filter(name="王伟").count() == 2


def test_undo_restores_the_dropped_account_its_rows_and_the_set_aside_ones(
    pair: tuple[Account, Account, Product],
) -> None:
    keep, drop, _product = pair
    account_before = Account.objects.filter(pk=drop.pk).values().get()
    lines_before = sorted(OrderLine.objects.values_list("pk", "account_id"))
    years_before = sorted(FinancialYear.objects.values_list("account_id", "year", "revenue"))
    phone_before = keep.phone
    merge = account_merge(keep=keep, drop=drop, user=None)
    restored = account_merge_undo(merge=merge, user=None)
    account_after = Account.objects.filter(pk=drop.pk).values().get()
    assert account_after | {"updated_at": None} == account_before | {"updated_at": None}
    assert restored.pk == drop.pk
    assert sorted(OrderLine.objects.values_list("pk", "account_id")) == lines_before
    assert sorted(FinancialYear.objects.values_list("account_id", "year", "revenue")) == (
        years_before
    )
    assert Contact.objects.get(name="王伟").account_id == drop.pk
    assert AccountKey.objects.get(external_id="C-2").account_id == drop.pk
    keep.refresh_from_db()
    assert keep.phone == phone_before
    assert AccountMonth.objects.get(account_id=drop.pk).revenue == Decimal("50")
    with pytest.raises(MergeError):
        account_merge_undo(merge=merge, user=None)


def test_an_account_cannot_be_merged_into_itself(pair: tuple[Account, Account, Product]) -> None:
    keep, _drop, _product = pair
    with pytest.raises(MergeError):
        account_merge(keep=keep, drop=keep, user=None)


def test_likely_duplicates_are_found_by_name_phone_and_credit_code() -> None:
    # Without credit codes: nothing says two of them are different companies.
    a = AccountFactory.create(legal_name="上海东方电梯有限公司", phone="021-5555-1234",
                              credit_code="")  # fmt: skip
    b = AccountFactory.create(legal_name="上海东方电梯股份有限公司", phone="", credit_code="")
    c = AccountFactory.create(legal_name="北京远方重工", phone="(021) 5555 1234", credit_code="")
    AccountFactory.create(legal_name="广州南方物流集团", phone="")
    pairs = account_duplicates(list(Account.objects.order_by("pk")))
    found = {(p.first.pk, p.second.pk): p.reasons for p in pairs}
    assert found == {(a.pk, b.pk): ["name"], (a.pk, c.pk): ["phone"]}


def test_companies_of_one_group_are_not_proposed_as_duplicates() -> None:
    parent = AccountFactory.create(legal_name="亚利电梯科技集团有限公司")
    AccountFactory.create(legal_name="北京亚利电梯科技有限公司", parent=parent)
    AccountFactory.create(legal_name="上海亚利电梯科技有限公司", parent=parent)
    assert account_duplicates(list(Account.objects.order_by("pk"))) == []


def test_a_pair_with_two_different_valid_credit_codes_comes_last_saying_so() -> None:
    # Alike by name; the first two have different valid credit codes (two companies), the
    # last pair has no code on one side and nothing says it is two companies.
    east = AccountFactory.create(legal_name="上海东方电梯有限公司", credit_code=credit_code_for(1))
    twin = AccountFactory.create(legal_name="上海东方电梯股份有限公司",
                                 credit_code=credit_code_for(2))  # fmt: skip
    north = AccountFactory.create(legal_name="北京北方重工有限公司", credit_code="")
    other = AccountFactory.create(legal_name="北京北方重工股份有限公司", credit_code="")
    pairs = account_duplicates(list(Account.objects.order_by("pk")))
    assert [(p.first.pk, p.second.pk) for p in pairs] == [(north.pk, other.pk), (east.pk, twin.pk)]
    assert pairs[0].reasons == ["name"]
    assert pairs[1].reasons == ["name", DISTINCT_CODES]


def test_the_same_organisation_code_in_two_credit_codes_is_a_pair_without_that_reason() -> None:
    a = AccountFactory.create(legal_name="甲公司", credit_code=credit_code_for(7))
    body = "92310000" + credit_code_for(7)[8:17]  # another registration of the same organisation
    b = AccountFactory.create(legal_name="乙商行", credit_code=body + check_character(body))
    (pair,) = account_duplicates(list(Account.objects.order_by("pk")))
    assert ((pair.first.pk, pair.second.pk), pair.reasons) == ((a.pk, b.pk), ["credit_code"])
