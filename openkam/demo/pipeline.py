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
from openkam.interactions.models import Interaction
from openkam.ledger.models import AccountMonth, Order, Product
from openkam.pipeline.models import (
    PROMOTION_STAGES,
    SALES_STAGES,
    ChainLink,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    ProspectScreening,
    Stage,
    StageChange,
    TargetProfile,
)
from openkam.relationships.models import Contact
from openkam.team.models import Role, User

TITLES = ("新厂区扶梯项目", "产线自动化改造", "年度备件框架协议", "旧梯更新改造", "海外工厂配套",
          "智能监控系统升级", "节能改造方案", "二期扩建配套")  # fmt: skip
NEXT_STEPS = ("提交技术方案", "安排高层拜访", "报价评审会", "商务条款谈判", "现场勘查",
              "样机测试")  # fmt: skip
LOST_REASONS = ("价格高于竞争对手约8%", "客户项目延期，预算取消", "竞争对手提供免费驻厂服务")
# The stages a demo opportunity ends at, in turn: every stage is filled.
ENDS = (*SALES_STAGES.open, Stage.WON, Stage.LOST, Stage.QUOTATION, Stage.NEEDS_ANALYSIS)
ACCOUNTS = 24


def _path(end: str, rng: random.Random) -> list[Stage]:
    """The stages passed to reach `end` (lost: somewhere along the way)."""
    steps: list[Stage] = list(SALES_STAGES.steps)
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


# The investment-promotion demo (openkam demo --mode promotion): an industrial park's office
# attracting a new-energy-vehicle chain. The target enterprises are accounts without a ledger,
# each with its profile; chain leaders bring their suppliers (ChainLink); one project per
# target in every promotion stage, with its terms and stage log; decision-makers met on site
# visits with the officer and the bureau leadership.
CHAINS = (
    ("新能源汽车整车", "整车制造与总装"),
    ("动力电池", "电芯、材料、隔膜、电解液"),
    ("电驱电控", "电机、电控、减速器"),
    ("汽车电子", "智能座舱、智能驾驶、车联网"),
    ("轻量化材料", "铝合金、复合材料"),
)
# (legal name, short name, chain, position, technology level, market %, patent %, city)
TARGETS = (
    ("星驰新能源汽车股份有限公司", "星驰汽车", 0, "leader", 4, "6.5", "4.2", "上海"),
    ("锂源动力电池科技有限公司", "锂源电池", 1, "leader", 5, "11.0", "8.8", "宁德"),
    ("恒瑞电驱系统有限公司", "恒瑞电驱", 2, "key_supplier", 4, "3.1", "2.5", "苏州"),
    ("智感汽车电子有限公司", "智感电子", 3, "key_supplier", 4, "2.4", "3.0", "深圳"),
    ("华铝轻量化材料有限公司", "华铝材料", 4, "key_supplier", 3, "5.0", "1.2", "佛山"),
    ("精锐热管理系统有限公司", "精锐热管理", 0, "supplier", 3, "1.8", "0.9", "无锡"),
    ("博能新材料有限公司", "博能材料", 1, "supplier", 3, "2.2", "1.1", "长沙"),
    ("清源隔膜科技有限公司", "清源隔膜", 1, "supplier", 4, "4.5", "2.0", "常州"),
    ("天合电解液有限公司", "天合电解液", 1, "supplier", 2, "3.0", "0.6", "九江"),
    ("鑫磁科技有限公司", "鑫磁科技", 2, "supplier", 3, "1.5", "0.8", "宁波"),
    ("远航智能驾驶科技有限公司", "远航智驾", 3, "key_supplier", 5, "1.2", "5.1", "北京"),
    ("蓝擎氢能动力有限公司", "蓝擎氢能", 0, "leader", 4, "0.8", "2.7", "武汉"),
    ("驰骋充电设施有限公司", "驰骋充电", 3, "service", 2, "0.9", "0.3", "合肥"),
    ("云图车联网科技有限公司", "云图车联", 3, "service", 3, "0.7", "1.0", "杭州"),
)
# Anchor (index) -> (supplier index, what it supplies): the chain a leader can bring.
CHAIN_LINKS = {
    0: ((1, "动力电池包"), (2, "电驱总成"), (3, "智能座舱域控"), (4, "铝合金车身件"),
        (5, "热管理系统")),
    1: ((6, "正极材料"), (7, "隔膜"), (8, "电解液")),
    2: ((9, "永磁材料"),),
    11: ((2, "电驱总成"), (12, "加氢与充电设施")),
}  # fmt: skip
# The stage each target's project ends at: every promotion stage, lost too.
PROMOTION_ENDS = (
    Stage.SIGNED, Stage.NEGOTIATION, Stage.LANDED, Stage.SITE_VISIT, Stage.IN_PRODUCTION,
    Stage.FIRST_CONTACT, Stage.LEAD, Stage.SITE_VISIT, Stage.LOST, Stage.NEGOTIATION,
    Stage.FIRST_CONTACT, Stage.SIGNED, Stage.LEAD, Stage.SITE_VISIT,
)  # fmt: skip
PROJECTS = ("整车生产基地", "动力电池超级工厂", "电驱总成产线", "智能座舱研发中心",
            "车身轻量化部件基地", "热管理系统工厂", "正极材料项目", "湿法隔膜产线", "电解液项目",
            "永磁材料项目", "智能驾驶研发与测试基地", "氢燃料商用车基地", "充电设施制造项目",
            "车联网平台区域总部")  # fmt: skip
POLICIES = ("工业用地挂牌底价出让，分期缴纳土地款", "前三年地方留存税收全额奖励，后两年减半",
            "设备投资补助 10%，最高 5000 万元", "高层次人才安家补贴与子女入学保障")  # fmt: skip
RIVAL_CITIES = ("合肥", "常州", "西安", "重庆", "宜宾", "襄阳")
ASKS = ("用地 300 亩以上，一年内交地", "设备补贴与贷款贴息", "配套员工公寓与人才政策",
        "地方配套产业基金参与投资", "电力增容与专用变电站")  # fmt: skip


def _officers() -> list[User]:
    officers = list(User.objects.filter(role=Role.KAM, is_active=True).order_by("username")[:4])
    if not officers:
        raise ValueError("The promotion demo needs the demo's officers (run the demo first).")
    return officers


def _site_visit(target: Account, contacts: list[Contact], officer: User, leader: User | None,
                at: dt.datetime) -> None:  # fmt: skip
    visit = Interaction.objects.create(
        account=target,
        kind="visit",
        status="done",
        starts_at=at,
        duration_minutes=180,
        subject="实地考察：园区用地、配套与政策洽谈",
        notes="企业决策层考察园区地块、标准厂房与配套；局领导介绍产业政策，双方交换投资意向。",
        next_step="提交项目投资协议草案",
        next_step_due=timezone.localdate(at) + dt.timedelta(days=14),
        next_step_owner=officer,
        created_by=officer,
    )
    visit.our_participants.set([officer, *([leader] if leader else [])])
    visit.their_participants.set(contacts)


@transaction.atomic
def demo_promotion(today: dt.date, *, seed: int = 11) -> int:
    """The park office's targets, chains, suppliers, projects in every stage (with terms and
    log), decision-makers and site visits; how many projects were written."""
    rng = random.Random(seed)
    officers = _officers()
    leader = User.objects.filter(role=Role.EXECUTIVE, is_superuser=False).order_by("pk").first()
    teams = {
        officer.pk: Account.objects.filter(owner=officer).values_list("team_id", flat=True).first()
        for officer in officers
    }
    chains = [IndustryChain.objects.create(name=n, description=d) for n, d in CHAINS]
    targets: list[Account] = []
    for index, (legal, short, chain, position, level, market, patent, city) in enumerate(TARGETS):
        officer = officers[index % len(officers)]
        target = Account.objects.create(
            legal_name=legal,
            short_name=short,
            city=city,
            lifecycle_stage=LifecycleStage.IDENTIFICATION,
            owner=officer,
            team_id=teams[officer.pk],
        )
        TargetProfile.objects.create(
            account=target,
            chain=chains[chain],
            position=position,
            technology_level=level,
            market_share=Decimal(market),
            patent_share=Decimal(patent),
            planned_expansion=f"未来三年新增产能，拟在长三角以外新建{PROJECTS[index]}",
            policy_asks="；".join(rng.sample(ASKS, 2)),
        )
        contacts = [
            Contact.objects.create(
                account=target, name=f"{surname}{title[:2]}", title=title, influence_type=kind
            )
            for surname, title, kind in (
                (rng.choice("王李张刘陈杨赵周"), "董事长", "economic"),
                (rng.choice("吴徐孙胡朱高林何"), "副总裁（投资）", "technical"),
            )
        ]
        targets.append(target)
        end = PROMOTION_ENDS[index % len(PROMOTION_ENDS)]
        project = _project(target, PROJECTS[index], end, officer, today, rng)
        if project.stage_changes.filter(to_stage=Stage.SITE_VISIT).exists():
            visit_at = project.created_at + (timezone.now() - project.created_at) / 2
            _site_visit(target, contacts, officer, leader, visit_at)
    for anchor, links in CHAIN_LINKS.items():
        for supplier, supplies in links:
            ChainLink.objects.create(
                anchor=targets[anchor], supplier=targets[supplier], supplies=supplies
            )
    return len(targets)


def _project(target: Account, title: str, end: str, officer: User, today: dt.date,
             rng: random.Random) -> Opportunity:  # fmt: skip
    steps = list(PROMOTION_STAGES.steps)
    path = [*steps[: rng.randint(2, 4)], Stage.LOST] if end == Stage.LOST else (
        steps[: steps.index(Stage(end)) + 1])  # fmt: skip
    now = timezone.now()
    start = now - dt.timedelta(days=rng.randint(120, 500))
    moments = [start, *sorted(start + (now - start) * rng.random() for _ in path[1:])]
    closed = end in PROMOTION_STAGES.closed
    investment = Decimal(rng.randrange(5, 120) * 10_000_000)  # 5000 万 to 12 亿
    first_closed = next((i for i, s in enumerate(path) if s in PROMOTION_STAGES.closed), None)
    row = Opportunity.objects.create(
        account=target,
        title=f"{target.short_name}{title}",
        amount=investment,
        currency=target.currency,
        stage=end,
        expected_close=today + dt.timedelta(days=-30 if closed else rng.randint(20, 270)),
        owner=officer,
        next_step="" if closed else rng.choice(("安排局领导拜访总部", "组织园区实地考察",
                                                "提交政策包方案", "投资协议条款谈判")),
        lost_reason="企业最终选择落户合肥，对方土地价格更低" if end == Stage.LOST else "",
        closed_on=timezone.localdate(moments[first_closed]) if first_closed is not None else None,
        stage_changed_at=moments[-1],
    )  # fmt: skip
    StageChange.objects.bulk_create(
        StageChange(
            opportunity=row,
            from_stage=path[i - 1] if i else "",
            to_stage=stage,
            at=moments[i],
            user=officer,
            reason=row.lost_reason if stage == Stage.LOST else "",
        )
        for i, stage in enumerate(path)
    )
    land = Decimal(rng.randrange(60, 600))
    output = investment * Decimal(rng.choice(("1.2", "1.5", "2.0")))
    ProjectTerms.objects.create(
        opportunity=row,
        land_mu=land,
        jobs=rng.randrange(200, 3000, 50),
        annual_output=output,
        annual_tax=(output * Decimal("0.06")).quantize(Decimal(1)),
        policy_land=POLICIES[0],
        policy_tax=POLICIES[1],
        policy_subsidies=POLICIES[2],
        policy_talent=POLICIES[3],
        competing_cities="、".join(rng.sample(RIVAL_CITIES, 2)),
        decision_date=today + dt.timedelta(days=rng.randint(-60, 200)),
        park_fit=rng.randint(2, 5),
    )
    Opportunity.objects.filter(pk=row.pk).update(created_at=start, updated_at=moments[-1])
    row.refresh_from_db()
    return row
