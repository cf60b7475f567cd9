"""The demo's writers as they were before they wrote in bulk (row at a time, through the
apps' services), kept only so that test_same_rows.py can check the bulk writers against
them: the same seed must give the same rows either way."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.common.months import add_months
from openkam.demo.service import FAMILIES as SERVICE_FAMILIES
from openkam.demo.surveys import _scores
from openkam.relationships.models import Contact
from openkam.service.models import ServiceCase, Training
from openkam.service.services import sla_hours
from openkam.surveys.models import Campaign, Channel, Recipient, Response, token_hash
from openkam.surveys.services import KEY_TIERS, default_template, follow_up, new_token


def _survey_wave(
    rng: np.random.Generator, name: str, end: dt.date, contacts: list[Contact],
    moods: dict[int, float], *, follow: bool,
) -> Campaign:  # fmt: skip
    start = add_months(end, -1)
    closes = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=20), dt.time(23, 59)))
    campaign = Campaign.objects.create(
        name=name, template=default_template(), period_start=start, period_end=end,
        expires_at=closes,
    )  # fmt: skip
    recipients = Recipient.objects.bulk_create(
        Recipient(
            campaign=campaign,
            account_id=c.account_id,
            contact=c,
            expires_at=closes,
            token_hash=token_hash(new_token()),
            language="zh-hans",
            sent_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
        )
        for c in contacts
    )
    answers = []
    for recipient in recipients:
        if rng.random() > 0.75:
            continue
        product, service, sales, nps, comment = _scores(rng, moods[recipient.account_id])
        phone = rng.random() < 0.15
        answered = timezone.make_aware(
            dt.datetime.combine(start + dt.timedelta(days=int(rng.integers(1, 28))), dt.time(10))
        )
        recipient.answered_at, recipient.token_hash = answered, None
        answers.append(
            Response(
                campaign=campaign,
                recipient=recipient,
                account_id=recipient.account_id,
                contact=recipient.contact,
                csat_product=product,
                csat_service=service,
                csat_sales=sales,
                nps=nps,
                comment=comment,
                language="zh-hans",
                channel=Channel.PHONE if phone else Channel.LINK,
                answered_at=answered,
                entered_by_id=recipient.contact.account.owner_id if phone else None,
            )
        )
    Recipient.objects.bulk_update(recipients, ["answered_at", "token_hash"])
    Response.objects.bulk_create(answers)
    if follow:
        for answer in answers:
            follow_up(answer)
    return campaign


def write_surveys(*, seed: int, today: dt.date) -> int:
    """Two waves; returns how many answers were written."""
    rng = np.random.default_rng(seed + 17)
    accounts = list(
        Account.objects.filter(tier__in=KEY_TIERS).order_by("pk").values_list("pk", flat=True)
    )
    contacts = list(
        Contact.objects.filter(account_id__in=accounts, is_active=True, influence_level__gte=3)
        .select_related("account")
        .order_by("account_id", "pk")
    )
    first = {pk: float(rng.beta(6, 2)) for pk in accounts}
    # One account in five falls by a third of the scale, one in five improves a little.
    moves = rng.choice([-0.4, 0.0, 0.1], size=len(accounts), p=[0.2, 0.6, 0.2])
    second = {
        pk: float(np.clip(first[pk] + move, 0.05, 1.0))
        for pk, move in zip(accounts, moves, strict=True)
    }
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    spring = add_months(last_month_end.replace(day=1), -6)
    spring_end = add_months(spring, 1) - dt.timedelta(days=1)
    _survey_wave(
        rng,
        f"{spring_end.year}年{spring_end.month}月客户满意度调查",
        spring_end,
        contacts,
        first,
        follow=False,
    )
    autumn = f"{last_month_end.year}年{last_month_end.month}月客户满意度调查"
    _survey_wave(rng, autumn, last_month_end, contacts, second, follow=True)
    return Response.objects.count()


def _service_case(account: Account, opened: dt.datetime, **fields: object) -> ServiceCase:
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
        family = SERVICE_FAMILIES[index % len(SERVICE_FAMILIES)]
        days = int(rng.integers(20, 60))
        opened = nine - dt.timedelta(days=days)
        claim = _service_case(
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
        _service_case(
            account, opened, kind="complaint", severity="high", channel="phone",
            title=f"{family}安装现场异响", family=family,
            description="项目现场反映运行异响，要求派工程师到场。",
            first_response_at=opened + dt.timedelta(hours=late), status="in_progress",
        )  # fmt: skip
        if index % 4 == 0:
            _service_case(
                account, nine - dt.timedelta(days=8), kind="technical_support",
                severity="critical", channel="wechat", title="控制柜通讯故障停梯",
                family="控制柜", first_response_at=nine - dt.timedelta(days=8, hours=-1),
                status="waiting",
            )  # fmt: skip
            written += 1
        _service_case(
            account, nine - dt.timedelta(hours=20), kind="training_request", severity="low",
            channel="visit", title="新版控制系统维保培训", status="new",
        )  # fmt: skip
        written += 3
    return written
