"""Results per product family: an answer (and an invitation) counts for each family its
account bought in the ledger in the twelve calendar months up to the campaign's period end;
an account that bought nothing counts under "no purchase"; cancelled orders, purchases outside
the window and another team's answers never count. Numbers pinned by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger.models import Order, OrderLine
from openkam.surveys.selectors import NO_FAMILY, results
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db


def bought(account: Account, family: str, day: str, *, cancelled: bool = False) -> None:
    order = Order.objects.create(
        account=account, order_no=f"SO-{account.pk}-{family}-{day}",
        order_date=dt.date.fromisoformat(day),
        status=Order.Status.CANCELLED if cancelled else Order.Status.OPEN,
    )  # fmt: skip
    OrderLine.objects.create(
        order=order, account=account, product=ProductFactory.create(family=family),
        quantity=Decimal(1), unit_price=Decimal(100), unit_cost=Decimal(50),
    )  # fmt: skip


@pytest.fixture
def spring(world: World) -> int:
    """Spring wave, period ending 2026-03-31: the window is 2025-04 .. 2026-03.
    A bought 曳引机 (2025-04-15, in) and 门机系统 (2025-03-20, a month too early), 控制柜 after
    the end (2026-04-02). B bought 曳引机 (2026-03-31) and 门机系统 (2026-01-10); its cancelled
    控制柜 order does not count. C bought nothing. Another team's account bought 曳引机.
    Answers: A's economic buyer (5 x 2 = 10) 10 / product 5, A's user (2 x 1 = 2) 4 / product 2;
    B's user (3 x 1 = 3) 8 / product 4 and one silent contact; C: 9 / product 3; the other
    team's 0."""
    a = world.account
    b = AccountFactory.create(team=world.team, owner=world.kam, tier=a.tier)
    c = AccountFactory.create(team=world.team, owner=world.kam, tier=a.tier)
    bought(a, "曳引机", "2025-04-15")
    bought(a, "门机系统", "2025-03-20")
    bought(a, "控制柜", "2026-04-02")
    bought(b, "曳引机", "2026-03-31")
    bought(b, "门机系统", "2026-01-10")
    bought(b, "控制柜", "2026-02-11", cancelled=True)
    bought(world.other_account, "曳引机", "2026-02-01")
    wave = campaign("春季", end=dt.date(2026, 3, 31))
    answer(wave, contact(a, influence_level=5, influence_type="economic"), 10, csat_product=5)
    answer(wave, contact(a, influence_level=2, influence_type="user"), 4, csat_product=2)
    answer(wave, contact(b, influence_level=3, influence_type="user"), 8, csat_product=4)
    recipient(wave, contact(b))
    answer(wave, contact(c, influence_level=3, influence_type="user"), 9, csat_product=3)
    answer(wave, contact(world.other_account), 0, csat_product=1)
    return wave.pk


def test_per_product_family(world: World, spring: int) -> None:
    rows = {row.key: row for row in results(world.kam, by="family")}
    assert set(rows) == {"曳引机", "门机系统", NO_FAMILY}
    lift = rows["曳引机"]  # A and B: 10, 4, 8; B's silent contact invited
    assert (lift.invited, lift.answered) == (4, 3)
    assert lift.nps == pytest.approx(0.0)  # (1 - 1) / 3
    assert lift.weighted_nps == pytest.approx(100 * (10 - 2) / 15)  # 53.3
    assert lift.csat_means["product"] == pytest.approx(11 / 3)  # (5 + 2 + 4) / 3
    doors = rows["门机系统"]  # B only: a passive
    assert (doors.invited, doors.answered, doors.nps) == (2, 1, pytest.approx(0.0))
    assert doors.csat_means["product"] == pytest.approx(4.0)
    none = rows[NO_FAMILY]
    assert (none.invited, none.answered, none.nps) == (1, 1, pytest.approx(100.0))
    assert none.csat_means["product"] == pytest.approx(3.0)
    # The executive sees the other team's detractor under 曳引机 too.
    everyone = {row.key: row for row in results(world.executive, by="family")}
    assert everyone["曳引机"].scores.count(0) == 1
    assert everyone["曳引机"].answered == 4


def test_the_results_page_groups_per_family(world: World, spring: int, english: None) -> None:
    page = client_for(world.kam).get("/surveys/", {"by": "family"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Product family" in text
    assert "曳引机" in text
    assert "门机系统" in text
    assert "No purchase in the ledger" in text
    assert "控制柜" not in text
