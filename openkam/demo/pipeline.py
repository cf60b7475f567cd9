"""The demo's pipeline: opportunities in every stage for the key accounts (most revenue), each
with a stage log spread over the past months (so conversion rates and days per stage have
something to read), some left without a change for weeks (stale), won ones linked to an order
of their account; and the prospects (accounts still in identification) screened, some
qualified, some dropped. Written straight into the tables with dates in the past, as the
services would have written them over time."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from openkam.accounts.models import Account, Competitor, LifecycleStage
from openkam.ledger.models import AccountMonth, Order, Product
from openkam.pipeline.models import (
    OPEN_STAGES,
    Opportunity,
    ProspectScreening,
    Stage,
    StageChange,
)

TITLES = ("新厂区扶梯项目", "产线自动化改造", "年度备件框架协议", "旧梯更新改造", "海外工厂配套",
          "智能监控系统升级", "节能改造方案", "二期扩建配套")  # fmt: skip
NEXT_STEPS = ("提交技术方案", "安排高层拜访", "报价评审会", "商务条款谈判", "现场勘查",
              "样机测试")  # fmt: skip
LOST_REASONS = ("价格高于竞争对手约8%", "客户项目延期，预算取消", "竞争对手提供免费驻厂服务")
# The stages a demo opportunity ends at, in turn: every stage is filled.
ENDS = (*OPEN_STAGES, Stage.WON, Stage.LOST, Stage.QUOTATION, Stage.NEEDS_ANALYSIS)
ACCOUNTS = 24


def _path(end: str, rng: random.Random) -> list[Stage]:
    """The stages passed to reach `end` (lost: somewhere along the way)."""
    steps: list[Stage] = [*OPEN_STAGES, Stage.WON]
    if end == Stage.LOST:
        return [*steps[: rng.randint(1, 4)], Stage.LOST]
    return steps[: steps.index(Stage(end)) + 1]


def _opportunity(account: Account, end: str, today: dt.date, rng: random.Random) -> Opportunity:
    path = _path(end, rng)
    now = timezone.now()
    start = now - dt.timedelta(days=rng.randint(40, 240))
    moments = sorted(start + (now - start) * rng.random() for _ in path[1:])
    moments = [start, *moments]
    closed = end in (Stage.WON, Stage.LOST)
    amount = Decimal(rng.randrange(8, 400) * 10000)
    row = Opportunity.objects.create(
        account=account,
        title=rng.choice(TITLES),
        amount=amount,
        currency=account.currency,
        stage=end,
        expected_close=today + dt.timedelta(days=rng.randint(-20, 180) if not closed else -5),
        owner=account.owner,  # type: ignore[misc]  # chosen with an owner
        next_step="" if closed else rng.choice(NEXT_STEPS),
        lost_reason=rng.choice(LOST_REASONS) if end == Stage.LOST else "",
        closed_on=timezone.localdate(moments[-1]) if closed else None,
        stage_changed_at=moments[-1],
    )
    StageChange.objects.bulk_create(
        StageChange(
            opportunity=row,
            from_stage=path[i - 1] if i else "",
            to_stage=stage,
            at=moments[i],
            user=account.owner,
            reason=row.lost_reason if stage == Stage.LOST else "",
        )
        for i, stage in enumerate(path)
    )
    Opportunity.objects.filter(pk=row.pk).update(created_at=start, updated_at=moments[-1])
    return row


@transaction.atomic
def demo_pipeline(today: dt.date, *, seed: int = 7) -> int:
    """Opportunities for the key accounts and screenings of the prospects; how many
    opportunities were written."""
    rng = random.Random(seed)
    # The key accounts by revenue: the demo's tiers are set by the refresh that runs later.
    revenue = (
        AccountMonth.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    accounts = list(
        Account.objects.filter(owner__isnull=False)
        .annotate(revenue=Subquery(revenue))
        .select_related("owner")
        .order_by(F("revenue").desc(nulls_last=True), "pk")[:ACCOUNTS]
    )
    families = sorted(set(Product.objects.exclude(family="").values_list("family", flat=True)))
    products = list(Product.objects.order_by("pk")[:40])
    rivals = list(Competitor.objects.order_by("pk")[:10])
    written = 0
    for index, account in enumerate(accounts):
        for turn in range(2):
            end = ENDS[(index * 2 + turn) % len(ENDS)]
            row = _opportunity(account, end, today, rng)
            if families:
                row.families = "、".join(rng.sample(families, min(2, len(families))))
                row.save(update_fields=["families"])
            if products:
                row.products.set(rng.sample(products, min(2, len(products))))
            if rivals:
                row.competitors.set(rng.sample(rivals, min(rng.randint(0, 2), len(rivals))))
            if end == Stage.WON:
                order = Order.objects.filter(account=account).order_by("-order_date").first()
                if order is not None:
                    row.orders.add(order)
            written += 1
    _screen_prospects(today, rng)
    return written


def _screen_prospects(today: dt.date, rng: random.Random) -> None:
    prospects = (
        Account.objects.filter(lifecycle_stage=LifecycleStage.IDENTIFICATION)
        .filter(~Q(pk__in=Order.objects.values("account_id")))
        .order_by("pk")[:12]
    )
    for i, account in enumerate(prospects):
        if i % 3 == 2:
            continue  # left to screen
        qualified = i % 3 == 0
        ProspectScreening.objects.create(
            account=account,
            outcome="qualified" if qualified else "dropped",
            reason="采购规模大，行业地位领先，值得投入" if qualified else "年采购额小，付款条件差",
            attractiveness=round(rng.uniform(60, 90) if qualified else rng.uniform(20, 45), 1),
            screened_by=account.owner,
            screened_on=today - dt.timedelta(days=rng.randint(3, 60)),
        )
