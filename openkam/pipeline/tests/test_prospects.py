"""Prospects: accounts in the identification stage with no order, screened with the selection
scorecard (portfolio's criteria and weights) into qualified or dropped with the reason; an
account with an order is a customer (read from the ledger at once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts.models import Account, LifecycleStage
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.ledger.models import Order
from openkam.pipeline import selectors, services
from openkam.pipeline.models import ProspectScreening
from openkam.portfolio.models import AccountScore, ScoringCriterion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _prospect(world: World, name: str = "新目标") -> Account:
    return AccountFactory.create(
        legal_name=name, team=world.team, owner=world.kam,
        lifecycle_stage=LifecycleStage.IDENTIFICATION,
    )  # fmt: skip


def test_screening_keeps_the_scorecards_attractiveness_and_the_reason(world: World) -> None:
    prospect = _prospect(world)
    ScoringCriterion.objects.all().delete()
    size = ScoringCriterion.objects.create(
        scorecard="attractiveness", key="size", name="规模", name_en="Size", weight=Decimal("3")
    )
    fit = ScoringCriterion.objects.create(
        scorecard="attractiveness", key="fit", name="匹配", name_en="Fit", weight=Decimal("1")
    )
    AccountScore.objects.create(account=prospect, criterion=size, score=5)
    AccountScore.objects.create(account=prospect, criterion=fit, score=1)
    screening = services.prospect_screen(
        user=world.kam, account_id=prospect.pk, outcome="qualified", reason="采购量大"
    )
    # (3 x 5 + 1 x 1) / 4 = 4 on 1-5, that is (4 - 1) / 4 = 75 on 0-100.
    assert screening.attractiveness == pytest.approx(75.0)
    assert (screening.outcome, screening.reason, screening.screened_by) == (
        "qualified", "采购量大", world.kam,
    )  # fmt: skip


def test_a_screening_without_a_reason_is_refused(world: World) -> None:
    prospect = _prospect(world)
    with pytest.raises(ValidationError) as refused:
        services.prospect_screen(user=world.kam, account_id=prospect.pk, outcome="dropped",
                                 reason=" ")  # fmt: skip
    assert set(refused.value.message_dict) == {"reason"}
    with pytest.raises(PermissionDenied):
        services.prospect_screen(user=world.viewer, account_id=prospect.pk, outcome="dropped",
                                 reason="小")  # fmt: skip
    assert not ProspectScreening.objects.exists()


def test_the_list_shows_the_latest_screening_and_drops_customers(world: World) -> None:
    qualified = _prospect(world, "合格客户")
    dropped = _prospect(world, "放弃客户")
    customer = _prospect(world, "已下单")
    services.prospect_screen(user=world.kam, account_id=dropped.pk, outcome="qualified",
                             reason="先合格", today=dt.date(2026, 1, 1))  # fmt: skip
    services.prospect_screen(user=world.kam, account_id=dropped.pk, outcome="dropped",
                             reason="后放弃", today=dt.date(2026, 2, 1))  # fmt: skip
    services.prospect_screen(user=world.kam, account_id=qualified.pk, outcome="qualified",
                             reason="好")  # fmt: skip
    Order.objects.create(account=customer, order_no="SO-1", order_date=dt.date(2026, 3, 1))
    rows = {
        row.legal_name: row.screening  # type: ignore[attr-defined]
        for row in selectors.prospects_visible_to(world.kam)
    }
    assert rows == {"合格客户": "qualified", "放弃客户": "dropped"}
    assert selectors.is_customer(customer)
    assert [r.legal_name for r in selectors.prospects_visible_to(world.kam, state="dropped")] == [
        "放弃客户"
    ]
    page = client_for(world.kam).get(reverse("pipeline:prospects")).content.decode()
    assert page.count('data-testid="prospect-row"') == 2
    assert "后放弃" in page
    assert "先合格" not in page


def test_the_screen_page_records_a_screening(world: World) -> None:
    prospect = _prospect(world)
    client = client_for(world.kam)
    url = reverse("pipeline:screen", args=[prospect.pk])
    assert 'data-testid="scorecard"' in client.get(url).content.decode()
    assert client.post(url, {"outcome": "dropped"}).status_code == 400
    assert client.post(url, {"outcome": "dropped", "reason": "规模太小"}).status_code == 302
    assert ProspectScreening.objects.values_list("outcome", "reason").get() == (
        "dropped", "规模太小",
    )  # fmt: skip
