"""The review's decisions download as XLSX: one row per proposal with the tiers, who and
when, the comment and the evidence figures of the review's refresh; headers in the reader's
language; read by analysts and executives only (others 403, an unknown review 404)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.governance.services import proposal_decide, review_submit
from openkam.portfolio.models import AccountSnapshot, TierReview

pytestmark = pytest.mark.django_db


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def _decided(world: World, review: TierReview) -> TierReview:
    AccountSnapshot.objects.filter(account=world.account).update(
        revenue_12m=Decimal("25000000"), clv_net=Decimal("-120000.50"), p_alive=0.8
    )
    review_submit(user=world.analyst, review=review)
    mine = review.proposals.get(account=world.account)
    other = review.proposals.get(account=world.other_account)
    proposal_decide(user=world.executive, proposal=mine, approve=True, comment="品牌领先")
    proposal_decide(user=world.executive, proposal=other, approve=False, comment="规模不够")
    return review


@pytest.mark.usefixtures("english")
def test_the_decisions_download_with_tiers_people_comments_and_figures(
    world: World, review: TierReview, django_assert_num_queries: Any
) -> None:
    _decided(world, review)
    client = client_for(world.executive)
    url = reverse("governance:review_export", args=[review.pk])
    with django_assert_num_queries(4):  # session, user, review, the rows with their figures
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="Tier review 2026-')
    rows = _sheet(response)
    header = rows[0]
    assert header[:8] == ("Proposal", "Account", "KAM", "Current tier", "Tier by the policy",
                          "Proposed tier", "Decided tier", "Status")  # fmt: skip
    by_account = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert len(by_account) == 2
    mine = by_account[world.account.legal_name]
    assert (mine["Current tier"], mine["Proposed tier"], mine["Decided tier"]) == (
        "General", "Key", "Key")  # fmt: skip
    assert mine["Status"] == "Approved"
    assert mine["Comment"] == "品牌领先"
    assert mine["Decided by"] == str(world.executive)
    assert mine["Decided at"] is not None
    assert mine["Proposed by"] == str(world.analyst)
    assert mine["Revenue, last 12 months"] == 25000000
    assert mine["Net customer value"] == pytest.approx(-120000.5)
    assert mine["Probability alive"] == pytest.approx(0.8)
    other = by_account[world.other_account.legal_name]
    # Rejected: the account keeps its tier, which is the decided one.
    assert (other["Proposed tier"], other["Decided tier"]) == ("Major", "General")
    assert other["Comment"] == "规模不够"


def test_the_headers_are_chinese_for_a_chinese_reader(world: World, review: TierReview) -> None:
    client = client_for(world.analyst)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("governance:review_export", args=[review.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = _sheet(response)[0]
    assert header[3:7] == ("当前级别", "按政策的级别", "建议级别", "决定级别")
    assert "净客户价值" in header


@pytest.mark.parametrize("persona", ["kam", "director", "viewer"])
def test_other_roles_cannot_download_the_decisions(
    world: World, review: TierReview, persona: str
) -> None:
    client = client_for(getattr(world, persona))
    url = reverse("governance:review_export", args=[review.pk])
    assert client.get(url).status_code == 403


def test_an_unknown_review_is_not_found(world: World, review: TierReview) -> None:
    client = client_for(world.executive)
    url = reverse("governance:review_export", args=[review.pk + 1])
    assert client.get(url).status_code == 404
