"""The demo's win-back cases: the at-risk accounts the churn alerts flag with the most value
at risk get a case opened by their KAM over the last half year, with actions due around
this week; the older ones are closed (lost, recovered, retained), so the lost-account
analysis has quarters to compare. Written through the retention services, as a KAM would.
The demo's refreshes run no hooks, so the alerts are evaluated here first (`openkam refresh`
evaluates them again, and suggests every account's lifecycle stage)."""

from __future__ import annotations

import datetime as dt

from openkam.alerts.models import CURRENT, Alert
from openkam.alerts.services import alerts_evaluate
from openkam.retention.models import CHURN_RULES, WinBackCase
from openkam.retention.services import (
    winback_action_add,
    winback_open,
    winback_record_outcome,
)

# (days before today it was opened, cause, outcome, days before today it closed)
CASES = (
    (30, "business_changed", "", 0),
    (200, "price", "lost", 150),
    (14, "relationship", "", 0),
    (120, "quality", "lost", 45),
    (170, "competitor", "recovered", 100),
    (60, "competitor", "lost", 10),
    (90, "delivery", "retained", 20),
    (5, "price", "", 0),
)
NOTES = {
    "price": ("竞争对手报价低约8%，采购部要求年度降价。", "年度返利2%，大单阶梯价。"),
    "competitor": ("对手派驻现场工程师，抢走两条产线的订单。", "免费驻厂技术支持三个月。"),
    "quality": ("上季度两批次来料检验不合格，客户质量部发出警告。", "8D报告，免费补货并延长质保。"),
    "delivery": ("旺季交期延误三周，客户临时转单。", "设立安全库存，承诺48小时加急。"),
    "business_changed": ("客户收缩华东业务，产线外迁。", "跟进新工厂所在地的采购负责人。"),
    "relationship": ("原对接采购经理离职，新任经理尚未建立关系。", "安排总经理拜访新任采购经理。"),
}
ACTIONS = ("高层拜访，了解真实原因", "提交新的报价方案", "质量复盘会")


def _alerts(limit: int) -> list[Alert]:
    """The current churn alerts of distinct accounts with a KAM, most value at risk first."""
    rows = (
        Alert.objects.filter(CURRENT, rule__in=CHURN_RULES, account__owner__isnull=False)
        .exclude(account__winback_cases__outcome="")
        .select_related("account", "account__owner")
        .order_by("-value_at_risk", "pk")
    )
    chosen: dict[int, Alert] = {}
    for alert in rows[: limit * 4]:
        chosen.setdefault(alert.account_id, alert)
        if len(chosen) == limit:
            break
    return list(chosen.values())


def demo_winbacks(today: dt.date) -> int:
    """Open (and close the older of) the demo's win-back cases; how many were opened."""
    alerts_evaluate(as_of=today, rules=CHURN_RULES)
    opened = 0
    for alert, (ago, cause, outcome, closed_ago) in zip(_alerts(len(CASES)), CASES, strict=False):
        kam = alert.account.owner
        assert kam is not None
        notes, offer = NOTES[cause]
        day = today - dt.timedelta(days=ago)
        case: WinBackCase = winback_open(
            user=kam, account_id=alert.account_id, alert_id=alert.pk, cause=cause,
            notes=notes, offer=offer, today=day,
        )  # fmt: skip
        for i, title in enumerate(ACTIONS[: 2 if outcome else 3]):
            due = (day if outcome else today) + dt.timedelta(days=3 + 4 * i)
            winback_action_add(user=kam, case=case, title=title, owner_id=kam.pk, due_on=due)
        if outcome:
            winback_record_outcome(
                user=kam, case=case, outcome=outcome, today=today,
                outcome_on=today - dt.timedelta(days=closed_ago),
            )  # fmt: skip
        opened += 1
    return opened
