"""The demo company's satisfaction surveys (满意度调查): two waves, half a year apart, over
the contacts of influence 3 or more of the key tiers' accounts (strategic, key, major). Most
accounts hold steady, some improve, and about one in five falls (a product problem, slow
service): promoters, passives and detractors in both. About three in four answer each wave, a
few by phone (entered by the KAM); the second wave's detractors get their follow-up, as the
services give it."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.common.months import add_months
from openkam.relationships.models import Contact
from openkam.surveys.models import Campaign, Channel, Recipient, Response, token_hash
from openkam.surveys.services import KEY_TIERS, default_template, follow_up, new_token

COMMENTS = {
    "good": ("交付准时，技术支持响应快。", "产品质量稳定，希望继续保持。",
             "销售经理很专业，沟通顺畅。"),
    "mid": ("价格偏高，希望年度框架协议能有更多优惠。", "总体满意，交期还可以再短一些。", ""),
    "bad": ("最近两批到货不良率偏高，影响了我们的生产。", "售后响应太慢，问题拖了两周才解决。",
            "报价和交期经常变动，计划很难安排。"),
}  # fmt: skip


def _scores(rng: np.random.Generator, mood: float) -> tuple[int, int, int, int, str]:
    """CSAT per dimension and NPS around an account's mood (0 unhappy .. 1 delighted)."""
    csat = np.clip(np.rint(1 + 4 * mood + rng.normal(0, 0.6, 3)), 1, 5).astype(int)
    nps = int(np.clip(np.rint(10 * mood + rng.normal(0, 1.2)), 0, 10))
    kind = "good" if nps >= 9 else "bad" if nps <= 6 else "mid"
    comment = COMMENTS[kind][int(rng.integers(0, len(COMMENTS[kind])))]
    return int(csat[0]), int(csat[1]), int(csat[2]), nps, comment


def _wave(
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
    _wave(
        rng,
        f"{spring_end.year}年{spring_end.month}月客户满意度调查",
        spring_end,
        contacts,
        first,
        follow=False,
    )
    autumn = f"{last_month_end.year}年{last_month_end.month}月客户满意度调查"
    _wave(rng, autumn, last_month_end, contacts, second, follow=True)
    return Response.objects.count()
