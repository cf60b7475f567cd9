"""The demo company's service cases (售后服务): every strategic and key account gets a few: a
quality claim resolved through its 8D fields, a complaint whose first response came late, a
technical support case still open past its resolution deadline on some accounts, and a
training request in progress; the claim's contact rated its handling, and a training on the
new check followed it. Deadlines come from the SLA of the tier and severity, as the
services set them; the cases are written with their history."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.service.models import ServiceCase, Training
from openkam.service.services import sla_hours

FAMILIES = ("曳引机", "门机系统", "控制柜", "导轨")


def _case(account: Account, opened: dt.datetime, **fields: object) -> ServiceCase:
    response, resolution = sla_hours(account.tier, str(fields["severity"]), str(fields["kind"]))
    made = ServiceCase(
        account=account,
        owner_id=account.owner_id,
        opened_at=opened,
        response_due=opened + dt.timedelta(hours=response),
        resolution_due=opened + dt.timedelta(hours=resolution),
        **fields,
    )
    made.save()
    return made


def write_service_cases(*, seed: int, today: dt.date) -> int:
    """A few cases per strategic and key account; returns how many were written."""
    rng = np.random.default_rng(seed + 13)
    accounts = Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY)).order_by("pk")
    nine = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    written = 0
    for index, account in enumerate(accounts):
        family = FAMILIES[index % len(FAMILIES)]
        days = int(rng.integers(20, 60))
        opened = nine - dt.timedelta(days=days)
        claim = _case(
            account, opened, kind="quality_claim", severity="high", channel="email",
            title=f"{family}批次到货不良率超标", family=family,
            description="客户来料检验发现一批次不良率2.1%，超过合同约定的0.3%。",
            first_response_at=opened + dt.timedelta(hours=2),
            resolved_at=opened + dt.timedelta(days=2), status="closed",
            closed_at=opened + dt.timedelta(days=5),
            containment="隔离在库同批次产品，全检后发货。",
            root_cause="供应商热处理炉温控制偏差，硬度不足。",
            corrective_action="更换温控模块，增加首件硬度检验。",
            prevention="供应商过程审核纳入季度计划。",
        )  # fmt: skip
        # The contact's rating of the claim's handling, and the training on the new check.
        claim.contact = account.contacts.order_by("-influence_level", "pk").first()
        if claim.contact is not None:
            claim.rating = int(rng.integers(2, 6))
            claim.rated_at = opened + dt.timedelta(days=3)
            claim.save(update_fields=["contact", "rating", "rated_at"])
        training = Training.objects.create(
            account=account, held_on=(opened + dt.timedelta(days=4)).date(),
            topic=f"{family}来料检验与首件硬度检验培训", trainer="技术服务部 张工",
            other_attendees="客户质检班组", recorded_by_id=account.owner_id,
        )  # fmt: skip
        training.cases.set([claim])
        if claim.contact is not None:
            training.attendees.set([claim.contact])
        opened = nine - dt.timedelta(days=2)  # within its 72 h to resolve
        late = 6 if index % 3 == 0 else 3  # hours to the first answer: a high case allows 4
        _case(
            account, opened, kind="complaint", severity="high", channel="phone",
            title=f"{family}安装现场异响", family=family,
            description="项目现场反映运行异响，要求派工程师到场。",
            first_response_at=opened + dt.timedelta(hours=late), status="in_progress",
        )  # fmt: skip
        if index % 4 == 0:
            _case(
                account, nine - dt.timedelta(days=8), kind="technical_support",
                severity="critical", channel="wechat", title="控制柜通讯故障停梯",
                family="控制柜", first_response_at=nine - dt.timedelta(days=8, hours=-1),
                status="waiting",
            )  # fmt: skip
            written += 1
        _case(
            account, nine - dt.timedelta(hours=20), kind="training_request", severity="low",
            channel="visit", title="新版控制系统维保培训", status="new",
        )  # fmt: skip
        written += 3
    return written
