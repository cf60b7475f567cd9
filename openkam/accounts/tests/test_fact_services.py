"""The facts of an account's profile, needs, competitors and wallet: written through one
service each, refused to readers (403) and to other teams (404) with nothing saved, validated
with the field named, and kept in the history with the user who wrote them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import (
    Competitor,
    CompetitorPresence,
    FinancialYear,
    Need,
    NeedStatus,
    Shareholder,
)
from openkam.accounts.services import (
    competitor_presence_create,
    competitor_update,
    fact_create,
    fact_delete,
    fact_update,
    need_create,
    need_update,
)
from openkam.common.errors import NotFound
from openkam.conftest import World

NEED = {
    "kind": "cost",
    "priority": "high",
    "description": "降低库存资金占用",
    "status": NeedStatus.OPEN,
    "owner_id": None,
    "our_response": "",
    "source": "拜访记录",
    "as_of": dt.date(2026, 5, 1),
}


@pytest.mark.parametrize("writer", ["kam", "director", "executive"])
def test_whoever_writes_the_account_records_a_need_with_its_owner(
    world: World, writer: str
) -> None:
    user = getattr(world, writer)
    need = need_create(
        user=user, account_id=world.account.pk, fields={**NEED, "owner_id": world.kam.pk}
    )
    assert (need.account_id, need.owner_id, need.status) == (world.account.pk, world.kam.pk, "open")
    assert need.history.get().history_user == user


def test_a_need_is_met_with_our_response_and_both_versions_are_kept(world: World) -> None:
    need = need_create(user=world.kam, account_id=world.account.pk, fields=NEED)
    need_update(
        user=world.director,
        need_id=need.pk,
        fields={**NEED, "status": NeedStatus.MET, "our_response": "寄售库存方案"},
    )
    need.refresh_from_db()
    assert (need.status, need.our_response) == ("met", "寄售库存方案")
    assert [h.status for h in need.history.order_by("history_date")] == ["open", "met"]


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_may_not_record_facts(world: World, reader: str) -> None:
    with pytest.raises(PermissionDenied):
        need_create(user=getattr(world, reader), account_id=world.account.pk, fields=NEED)
    assert not Need.objects.exists()


def test_another_teams_account_does_not_exist_for_a_write(world: World) -> None:
    with pytest.raises(NotFound):
        need_create(user=world.kam, account_id=world.other_account.pk, fields=NEED)
    theirs = Need.objects.create(account=world.other_account, kind="price", description="降价")
    with pytest.raises(NotFound):
        need_update(user=world.kam, need_id=theirs.pk, fields=NEED)
    with pytest.raises(NotFound):
        fact_delete(user=world.kam, kind="need", item_id=theirs.pk)
    assert Need.objects.get().description == "降价"


def test_an_invalid_fact_names_its_field_and_saves_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        fact_create(
            user=world.kam,
            account_id=world.account.pk,
            kind="shareholder",
            fields={"name": "宁波国资", "kind": "state", "share_percent": Decimal("120"),
                    "is_actual_controller": True, "source": "", "as_of": None},
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["share_percent"]
    assert not Shareholder.objects.exists()


def test_a_need_owner_must_be_an_active_user(world: World) -> None:
    world.other_kam.is_active = False
    world.other_kam.save()
    with pytest.raises(ValidationError) as refused:
        need_create(
            user=world.kam,
            account_id=world.account.pk,
            fields={**NEED, "owner_id": world.other_kam.pk},
        )
    assert list(refused.value.message_dict) == ["owner_id"]


def test_a_years_figures_are_recorded_once(world: World) -> None:
    fields = {"year": 2025, "currency": "CNY", "revenue": Decimal("1000000"), "net_profit": None,
              "total_assets": None, "total_liabilities": None, "credit_rating": "AA",
              "source": "年报", "as_of": None}  # fmt: skip
    first = fact_create(user=world.kam, account_id=world.account.pk, kind="financial-year",
                        fields=fields)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        fact_create(user=world.kam, account_id=world.account.pk, kind="financial-year",
                    fields=fields)  # fmt: skip
    assert list(refused.value.message_dict) == ["year"]
    fact_update(user=world.kam, kind="financial-year", item_id=first.pk,
                fields={**fields, "credit_rating": "AAA"})  # fmt: skip
    assert FinancialYear.objects.get().credit_rating == "AAA"


def test_a_fact_removed_in_error_stays_in_its_history(world: World) -> None:
    need = need_create(user=world.kam, account_id=world.account.pk, fields=NEED)
    fact_delete(user=world.kam, kind="need", item_id=need.pk)
    assert not Need.objects.exists()
    assert [h.history_type for h in Need.history.order_by("history_date")] == ["+", "-"]


def test_a_competitor_is_named_once_across_accounts(world: World) -> None:
    other = world.unassigned_account
    fields = {"products": "导轨", "share_of_wallet": Decimal("30"), "source": "", "as_of": None}
    competitor_presence_create(user=world.executive, account_id=world.account.pk,
                               competitor="华钢导轨", fields=fields)  # fmt: skip
    competitor_presence_create(user=world.executive, account_id=other.pk,
                               competitor=" 华钢导轨 ", fields=fields)  # fmt: skip
    assert Competitor.objects.count() == 1
    assert CompetitorPresence.objects.count() == 2


def test_a_competitor_twice_at_one_account_is_refused_on_its_name(world: World) -> None:
    fields = {"products": "", "share_of_wallet": None, "source": "", "as_of": None}
    competitor_presence_create(user=world.kam, account_id=world.account.pk, competitor="华钢",
                               fields=fields)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        competitor_presence_create(user=world.kam, account_id=world.account.pk,
                                   competitor="华钢", fields=fields)  # fmt: skip
    assert list(refused.value.message_dict) == ["competitor"]


def test_a_competitor_seen_only_at_another_team_cannot_be_edited(world: World) -> None:
    rival = Competitor.objects.create(name="别队对手")
    CompetitorPresence.objects.create(account=world.other_account, competitor=rival)
    with pytest.raises(NotFound):
        competitor_update(user=world.kam, competitor_id=rival.pk, fields={"strengths": "便宜"})
    competitor_update(user=world.executive, competitor_id=rival.pk, fields={"strengths": "便宜"})
    rival.refresh_from_db()
    assert rival.strengths == "便宜"
    with pytest.raises(PermissionDenied):
        competitor_update(user=world.analyst, competitor_id=rival.pk, fields={"strengths": "贵"})
