"""The demo company's account plans (大客户计划): every strategic and key account gets one for
this year, in every status of the cycle (drafts, plans waiting for the director, approved and
active plans, last year's closed ones), with objectives, strategies, actions (some overdue),
resource requests and decisions, joint teams, customer delivered value and risks of every
rating. Reviews come later (`demo_plan_reviews`), once the refresh has stored the snapshots a
review compares.

A few thousand plans at most (one per key account), so the ORM writes them, in bulk, with a
first history record each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Sum
from simple_history.utils import bulk_create_with_history

from openkam.accounts.models import Account, RelationshipStage, Tier
from openkam.ledger.models import AccountMonth
from openkam.plans import services as plan_services
from openkam.plans.models import (
    AccountPlan,
    Action,
    ActionStatus,
    Decision,
    JointTeamMember,
    Metric,
    Objective,
    PlanStatus,
    ResourceRequest,
    Risk,
    RiskStatus,
    Strategy,
    SwotItem,
    TeamRole,
    ValueComponent,
    ValueItem,
)
from openkam.plans.risks import Level, risk_rating
from openkam.plans.selectors import QUADRANT_STRATEGIES, margin_rate
from openkam.relationships.models import Contact
from openkam.team.models import User

# A small demo has only a handful of strategic and key accounts: the largest major accounts
# get plans too, so the plan pages have enough to show.
MIN_PLANS = 12
# Status of the i-th key account's plan: the first five cover every status; the rest draw.
STATUS_CYCLE = (
    PlanStatus.ACTIVE,
    PlanStatus.SUBMITTED,
    PlanStatus.DRAFT,
    PlanStatus.APPROVED,
    PlanStatus.CLOSED,
)
STATUS_WEIGHTS = {
    PlanStatus.ACTIVE: 0.55,
    PlanStatus.SUBMITTED: 0.15,
    PlanStatus.DRAFT: 0.15,
    PlanStatus.APPROVED: 0.05,
    PlanStatus.CLOSED: 0.10,
}
GOALS = (
    "三年内进入全国电梯品牌前五，重点拓展华东、华南的住宅和轨交项目。",
    "推进智能制造升级，降低单台制造成本百分之八，缩短交付周期。",
    "加快海外市场布局，东南亚和中东项目占比提高到三成。",
    "聚焦旧楼加装电梯和更新改造市场，服务收入占比逐年提高。",
)
CHANGES = (
    "新任采购总监上任，推行集中采购和供应商年度评审。",
    "新工厂明年二季度投产，产能增加约四成。",
    "原材料价格波动大，客户要求年度锁价和联合降本。",
    "客户正在导入第二供应商，份额可能被分流。",
)
SWOT = {
    "strength": ("曳引机质量稳定，返修率行业最低", "本地化技术服务，四小时到场"),
    "weakness": ("交期比主要竞争对手长一周", "高端门机系列型号不全"),
    "opportunity": ("客户新工厂的整线配套", "旧楼加装电梯项目快速增长"),
    "threat": ("竞争对手以低价争夺份额", "客户推行集中采购、压价明显"),
}
STRATEGIES = (
    "与客户研发联合开发新一代门机，锁定下一代平台。",
    "推行年度框架协议和寄售库存，缩短交期。",
    "高层定期互访，建立决策层关系。",
)
ACTIONS = (
    ("拜访新任采购总监，介绍年度合作方案", "kam"),
    ("组织技术交流会，介绍新一代曳引机", "support_rnd"),
    ("完成样件试装和质量审核", "support_quality"),
    ("提交年度框架协议报价", "kam"),
    ("安排高层互访", "executive"),
    ("建立寄售库存和月度对账", "support_service"),
)
RISKS = (
    ("customer", "credit", "客户资金紧张，回款周期变长"),
    ("customer", "competition", "竞争对手低价进入，份额被分流"),
    ("ours", "delivery", "新产线爬坡期间交期可能延误"),
    ("ours", "quality", "新型号门机可靠性尚待验证"),
    ("customer", "relationship", "关键联系人调岗，关系需要重建"),
)
# (probability, impact) pairs covering every rating of the grid.
RISK_LEVELS = (
    (Level.HIGH, Level.HIGH),
    (Level.MEDIUM, Level.HIGH),
    (Level.MEDIUM, Level.MEDIUM),
    (Level.LOW, Level.LOW),
    (Level.HIGH, Level.MEDIUM),
    (Level.LOW, Level.HIGH),
)
VALUE_SCORES = {
    ValueComponent.PRODUCT: 4,
    ValueComponent.SERVICE: 5,
    ValueComponent.PEOPLE: 4,
    ValueComponent.IMAGE: 3,
    ValueComponent.MONEY: 3,
    ValueComponent.TIME: 2,
    ValueComponent.EFFORT: 2,
    ValueComponent.RISK: 2,
}


@dataclass(frozen=True)
class PlannedAccount:
    account_id: int
    owner_id: int | None
    revenue_12m: Decimal
    cost_12m: Decimal
    stage: str
    contact_ids: tuple[int, ...]


def _key_accounts(today: dt.date) -> list[PlannedAccount]:
    """Strategic and key accounts (and the largest major ones up to MIN_PLANS) with their last
    twelve months' revenue and cost."""
    since = dt.date(today.year - 1, today.month, 1)
    chosen = set(
        Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY)).values_list("pk", flat=True)
    )
    if len(chosen) < MIN_PLANS:
        majors = (
            AccountMonth.objects.filter(account__tier=Tier.MAJOR, month__gte=since)
            .values("account_id")
            .annotate(revenue=Sum("revenue"))
            .order_by("-revenue", "account_id")
            .values_list("account_id", flat=True)
        )
        chosen.update(majors[: MIN_PLANS - len(chosen)])
    accounts = list(
        Account.objects.filter(pk__in=chosen)
        .order_by("pk")
        .values_list("pk", "owner_id", "relationship_stage")
    )
    ids = [row[0] for row in accounts]
    totals = {
        row["account_id"]: (row["revenue"], row["cost"])
        for row in AccountMonth.objects.filter(account_id__in=ids, month__gte=since)
        .values("account_id")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"))
    }
    contacts: dict[int, list[int]] = {}
    for contact_id, account_id in (
        Contact.objects.filter(account_id__in=ids).order_by("pk").values_list("pk", "account_id")
    ):
        contacts.setdefault(account_id, []).append(contact_id)
    return [
        PlannedAccount(
            account_id=pk,
            owner_id=owner,
            revenue_12m=totals.get(pk, (Decimal(0), Decimal(0)))[0],
            cost_12m=totals.get(pk, (Decimal(0), Decimal(0)))[1],
            stage=stage,
            contact_ids=tuple(contacts.get(pk, [])[:2]),
        )
        for pk, owner, stage in accounts
    ]


def _statuses(rng: np.random.Generator, n: int) -> list[str]:
    drawn = rng.choice(
        list(STATUS_WEIGHTS), size=max(n - len(STATUS_CYCLE), 0), p=list(STATUS_WEIGHTS.values())
    )
    return [*STATUS_CYCLE[:n], *(str(status) for status in drawn)]


def _users() -> dict[str, int]:
    names = ("kam", "executive", "director", "support_rnd", "support_quality", "support_service")
    return dict(User.objects.filter(username__in=names).values_list("username", "pk"))


def write_account_plans(*, seed: int, today: dt.date) -> int:
    """Plans for every strategic and key account; returns how many."""
    rng = np.random.default_rng([seed, 7_301])
    planned = _key_accounts(today)
    users = _users()
    executive = users.get("executive")
    statuses = _statuses(rng, len(planned))
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    stamp = dt.datetime.combine(today - dt.timedelta(days=150), dt.time(2, 0), tzinfo=dt.UTC)
    plans = []
    for i, (item, status) in enumerate(zip(planned, statuses, strict=True)):
        closed = status == PlanStatus.CLOSED
        year_start = start.replace(year=start.year - 1) if closed else start
        decided = status in (PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.CLOSED)
        plans.append(
            AccountPlan(
                account_id=item.account_id,
                owner_id=item.owner_id,
                title=f"{year_start.year} 年度大客户计划",
                period_start=year_start,
                period_end=year_start.replace(month=12, day=31),
                status=PlanStatus.APPROVED if status == PlanStatus.APPROVED else status,
                customer_goals=GOALS[i % len(GOALS)],
                customer_changes=CHANGES[i % len(CHANGES)],
                value_proposition="以稳定质量、快速交付和联合开发帮助客户降低总拥有成本。",
                value_plan="缩短交期、减少客户来料检验工作量，降低客户的时间和精力成本。",
                submitted_at=stamp if status != PlanStatus.DRAFT else None,
                approved_at=stamp + dt.timedelta(days=5) if decided else None,
                decided_by_id=executive if decided else None,
                closed_at=stamp if closed else None,
            )
        )
    if not plans:
        return 0
    if any(status == PlanStatus.APPROVED for status in statuses):
        # An approved plan waits for its period: next year's.
        for plan in plans:
            if plan.status == PlanStatus.APPROVED:
                plan.period_start = end + dt.timedelta(days=1)
                plan.period_end = plan.period_start.replace(month=12, day=31)
                plan.title = f"{plan.period_start.year} 年度大客户计划"
    created = bulk_create_with_history(plans, AccountPlan, default_date=stamp)
    by_account = {item.account_id: item for item in planned}
    _parts(rng, created, by_account, users, today)
    return len(created)


def _parts(
    rng: np.random.Generator,
    plans: list[AccountPlan],
    accounts: dict[int, PlannedAccount],
    users: dict[str, int],
    today: dt.date,
) -> None:
    swot: list[SwotItem] = []
    objectives: list[Objective] = []
    strategies: list[Strategy] = []
    resources: list[ResourceRequest] = []
    members: list[JointTeamMember] = []
    values: list[ValueItem] = []
    risks: list[Risk] = []
    actions: list[Action] = []
    for i, plan in enumerate(plans):
        item = accounts[plan.account_id]
        kam = item.owner_id or users["kam"]
        for kind, texts in SWOT.items():
            swot.extend(
                SwotItem(plan=plan, kind=kind, text=text, position=n)
                for n, text in enumerate(texts)
            )
        growth = Decimal(str(round(1.05 + 0.2 * float(rng.random()), 2)))
        margin = margin_rate(item.revenue_12m, item.cost_12m)
        stage_rank = RelationshipStage.values.index(item.stage) if item.stage else 0
        objectives.extend(
            [
                Objective(
                    plan=plan,
                    metric=Metric.REVENUE,
                    description="全年销售额",
                    baseline=item.revenue_12m,
                    target=(item.revenue_12m * growth).quantize(Decimal("1")),
                    starts_on=plan.period_start,
                    due_on=plan.period_end,
                    position=0,
                ),
                Objective(
                    plan=plan,
                    metric=Metric.GROSS_MARGIN,
                    description="毛利率提升",
                    baseline=margin,
                    target=None if margin is None else margin + Decimal(2),
                    starts_on=plan.period_start,
                    due_on=plan.period_end,
                    position=1,
                ),
                Objective(
                    plan=plan,
                    metric=Metric.RELATIONSHIP_STAGE,
                    description="关系提升一个阶段",
                    baseline=Decimal(stage_rank),
                    target=Decimal(min(stage_rank + 1, len(RelationshipStage.values) - 1)),
                    starts_on=plan.period_start,
                    due_on=plan.period_end,
                    position=2,
                ),
                Objective(
                    plan=plan,
                    metric=Metric.FREE_TEXT,
                    description="成为客户新工厂的首选配套供应商",
                    starts_on=plan.period_start,
                    due_on=plan.period_end,
                    position=3,
                ),
            ]
        )
        strategies.append(Strategy(plan=plan, description=str(QUADRANT_STRATEGIES["key_account"])))
        strategies.append(
            Strategy(plan=plan, description=STRATEGIES[i % len(STRATEGIES)], position=1)
        )
        for n, (title, who) in enumerate(ACTIONS[: 3 + i % 4]):
            due = today + dt.timedelta(days=int(rng.integers(-60, 90)))
            done = due < today and rng.random() < 0.6
            actions.append(
                Action(
                    plan=plan,
                    title=title,
                    owner_id=kam if who == "kam" else users.get(who, kam),
                    due_on=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_on=due if done else None,
                )
            )
            if n == 0 and plan.status == PlanStatus.CLOSED:
                actions[-1].status = ActionStatus.DONE
                actions[-1].done_on = actions[-1].due_on
        decided = plan.status in (PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.CLOSED)
        resources.append(
            ResourceRequest(
                plan=plan,
                function="rnd",
                person_days=Decimal(20 + 10 * (i % 3)),
                amount=Decimal(50_000 + 25_000 * (i % 4)),
                reason="联合开发新一代门机的样件和测试",
                decision=(Decision.PARTLY if i % 2 else Decision.GRANTED)
                if decided
                else Decision.PENDING,
                granted_person_days=Decimal(15) if decided else None,
                granted_amount=Decimal(50_000) if decided else None,
                decided_by_id=users.get("executive") if decided else None,
            )
        )
        members.append(JointTeamMember(plan=plan, user_id=kam, role=TeamRole.KAM))
        if users.get("executive"):
            members.append(
                JointTeamMember(plan=plan, user_id=users["executive"], role=TeamRole.SPONSOR)
            )
        if users.get("support_rnd"):
            members.append(
                JointTeamMember(plan=plan, user_id=users["support_rnd"], role=TeamRole.RND)
            )
        for contact_id in item.contact_ids:
            members.append(JointTeamMember(plan=plan, contact_id=contact_id, role=TeamRole.OTHER))
        values.extend(
            ValueItem(plan=plan, component=component, score=score)
            for component, score in VALUE_SCORES.items()
        )
        for n in range(1 + i % 3):
            source, category, description = RISKS[(i + n) % len(RISKS)]
            probability, impact = RISK_LEVELS[(i + n) % len(RISK_LEVELS)]
            closed = n == 2
            risks.append(
                Risk(
                    account_id=plan.account_id,
                    plan=plan,
                    source=source,
                    category=category,
                    description=description,
                    probability=probability,
                    impact=impact,
                    rating=risk_rating(probability, impact),
                    mitigation="指定负责人跟进，每月复盘。",
                    owner_id=kam,
                    review_on=today + dt.timedelta(days=30),
                    status=RiskStatus.CLOSED if closed else RiskStatus.OPEN,
                    closed_on=today - dt.timedelta(days=20) if closed else None,
                )
            )
    SwotItem.objects.bulk_create(swot)
    Objective.objects.bulk_create(objectives)
    Strategy.objects.bulk_create(strategies)
    bulk_create_with_history(actions, Action)
    ResourceRequest.objects.bulk_create(resources)
    JointTeamMember.objects.bulk_create(members)
    ValueItem.objects.bulk_create(values)
    bulk_create_with_history(risks, Risk)


def demo_plan_reviews(*, today: dt.date, first: dt.date, second: dt.date) -> int:
    """Two reviews of every active plan, on two past dates with snapshots (the caller has
    refreshed on them), through the plans service as a KAM would hold them; then the
    objectives measured today. Returns the number of reviews."""
    reviewed = 0
    plans = AccountPlan.objects.filter(status=PlanStatus.ACTIVE).select_related(
        "account", "account__team", "owner"
    )
    for plan in plans:
        reviewer = plan.owner
        if reviewer is None:
            continue
        for held_on, next_on in ((first, second), (second, today + dt.timedelta(days=90))):
            plan_services.review_create(
                user=reviewer,
                plan=plan,
                held_on=held_on,
                next_review_on=next_on,
                decisions="保持现有节奏；加派技术支持跟进新工厂项目。",
            )
            reviewed += 1
    plan_services.objectives_measure(as_of=today)
    return reviewed
