"""The matches to confirm and the duplicate accounts, with merge and undo, on pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.imports.models import AccountKey, AccountMatch, AccountMerge
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv

pytestmark = pytest.mark.django_db


def _pending(tmp_path: Path) -> AccountMatch:
    rows = [order_row("SO-1", 1, "2024-03-05", "上海东方电梯股份有限公司", "M-100", "1", "9", "9",
                      code="C9")]  # fmt: skip
    import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))
    return AccountMatch.objects.get()


def test_an_analyst_confirms_a_match(world: World, catalogue: Catalogue, tmp_path: Path) -> None:
    match = _pending(tmp_path)
    client = client_for(world.analyst)
    page = client.get(reverse("imports:matches"))
    assert "上海东方电梯股份有限公司" in page.content.decode()
    response = client.post(reverse("imports:match_decide", args=[match.pk]),
                           {"decision": "confirm"})  # fmt: skip
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (AccountMatch.Status.CONFIRMED, world.analyst)
    assert AccountKey.objects.get(external_id="C9").account == catalogue.east


def test_a_viewer_may_not_decide_a_match(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    match = _pending(tmp_path)
    client = client_for(world.viewer)
    assert client.get(reverse("imports:matches")).status_code == 403
    response = client.post(reverse("imports:match_decide", args=[match.pk]),
                           {"decision": "confirm"})  # fmt: skip
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.status == AccountMatch.Status.PENDING
    assert not AccountKey.objects.exists()


def test_the_matches_page_has_a_fixed_number_of_queries(
    world: World, catalogue: Catalogue, tmp_path: Path, django_assert_num_queries: Any
) -> None:
    _pending(tmp_path)
    client = client_for(world.analyst)
    with django_assert_num_queries(4):  # session, user, count, page of matches with accounts
        assert client.get(reverse("imports:matches")).status_code == 200


def test_an_executive_merges_duplicates_and_undoes_it(world: World) -> None:
    keep = AccountFactory.create(legal_name="上海东方电梯有限公司")
    drop = AccountFactory.create(legal_name="上海东方电梯股份有限公司")
    client = client_for(world.executive)
    page = client.get(reverse("imports:duplicates"), {"q": "东方"})
    assert [(p.first, p.second) for p in page.context["page"].object_list] == [(keep, drop)]
    client.post(reverse("imports:merge"), {"keep": keep.pk, "drop": drop.pk})
    assert not Account.objects.filter(pk=drop.pk).exists()
    merge = AccountMerge.objects.get()
    assert merge.merged_by == world.executive
    client.post(reverse("imports:merge_undo", args=[merge.pk]))
    assert Account.objects.filter(pk=drop.pk).exists()
    merge.refresh_from_db()
    assert merge.undone_by == world.executive


def test_a_kam_may_not_merge_accounts(world: World) -> None:
    keep, drop = world.account, world.other_account
    response = client_for(world.kam).post(reverse("imports:merge"),
                                          {"keep": keep.pk, "drop": drop.pk})  # fmt: skip
    assert response.status_code == 403
    assert Account.objects.filter(pk=drop.pk).exists()
    assert not AccountMerge.objects.exists()


def test_the_duplicates_page_has_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    for i in range(4):
        AccountFactory.create(legal_name=f"杭州西湖电梯{i}有限公司")
    client = client_for(world.analyst)
    with django_assert_num_queries(4):  # session, user, accounts, recent merges
        assert client.get(reverse("imports:duplicates")).status_code == 200


def test_after_a_confirmation_the_rejected_rows_are_imported_again_from_the_run_page(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    from openkam.imports.models import ImportRun
    from openkam.ledger.models import OrderLine

    match = _pending(tmp_path)
    client = client_for(world.analyst)
    client.post(reverse("imports:match_decide", args=[match.pk]), {"decision": "confirm"})
    first = ImportRun.objects.get()
    response = client.post(reverse("imports:retry", args=[first.pk]))
    retry = ImportRun.objects.exclude(pk=first.pk).get()
    assert response["Location"] == retry.get_absolute_url()
    assert (retry.rows_inserted, retry.rows_rejected, retry.user) == (1, 0, world.analyst)
    assert OrderLine.objects.get().account == catalogue.east


def test_a_viewer_may_not_import_rejected_rows_again(
    world: World, catalogue: Catalogue, tmp_path: Path
) -> None:
    from openkam.imports.models import ImportRun

    _pending(tmp_path)
    run = ImportRun.objects.get()
    assert client_for(world.viewer).post(reverse("imports:retry", args=[run.pk])).status_code == 403
    assert ImportRun.objects.count() == 1
