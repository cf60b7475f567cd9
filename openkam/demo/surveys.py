"""The demo company's satisfaction surveys (满意度调查): two waves, half a year apart, over
the contacts of influence 3 or more of the key tiers' accounts (strategic, key, major). Most
accounts hold steady, some improve, and about one in five falls (a product problem, slow
service): promoters, passives and detractors in both. About three in four answer each wave, a
few by phone (entered by the KAM); the second wave's detractors get their follow-up, as the
services give it (surveys.services.follow_up), written here in bulk: each table in one write,
the rows the same as the services' (demo/tests/test_same_rows.py pins them)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.common.months import add_months
from openkam.interactions.models import INTERACTION_HISTORY, Interaction, Kind, Status
from openkam.relationships.models import Contact
from openkam.surveys.models import Campaign, Channel, Recipient, Response, token_hash
from openkam.surveys.services import (
    KEY_TIERS,
    default_template,
    follow_up_due,
    follow_up_texts,
    needs_follow_up_after,
    new_token,
)
from openkam.team.models import User

BATCH = 2_000

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
    moods: dict[int, float], *, earlier: dict[int, Response] | None,
) -> dict[int, Response]:  # fmt: skip
    """One wave: its recipients (answered or not) and answers, each table in one bulk write;
    with `earlier` (the first wave's answers by contact), the follow-ups that
    surveys.services.follow_up would log. Returns the answers by contact."""
    start = add_months(end, -1)
    closes = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=20), dt.time(23, 59)))
    campaign = Campaign.objects.create(
        name=name,
        template=default_template(),
        period_start=start,
        period_end=end,
        expires_at=closes,
    )
    sent = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
    recipients = [
        Recipient(
            campaign=campaign,
            account_id=c.account_id,
            contact=c,
            expires_at=closes,
            token_hash=token_hash(new_token()),
            language="zh-hans",
            sent_at=sent,
        )
        for c in contacts
    ]
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
    Recipient.objects.bulk_create(recipients, batch_size=BATCH)
    if earlier is not None:
        write_follow_ups(answers, earlier)
    Response.objects.bulk_create(answers, batch_size=BATCH)
    return {answer.contact_id: answer for answer in answers}


def write_follow_ups(answers: list[Response], earlier: dict[int, Response]) -> int:
    """The rows surveys.services.follow_up writes for each detractor or falling answer (an
    e-mail interaction on the account's timeline with its participants, its first history
    record with theirs, and the answer's link to it), written per table in bulk; sets
    `follow_up` on the answers. Returns how many."""
    owner_ids = {a.contact.account.owner_id for a in answers}
    active = set(
        User.objects.filter(
            pk__in=[pk for pk in owner_ids if pk is not None], is_active=True
        ).values_list("pk", flat=True)
    )
    due = follow_up_due(timezone.localdate())
    chosen: list[tuple[Response, int]] = []
    interactions: list[Interaction] = []
    for answer in answers:
        if not needs_follow_up_after(answer, earlier.get(answer.contact_id)):
            continue
        kam = answer.contact.account.owner_id
        owner = kam if kam in active else answer.entered_by_id
        if owner is None:
            continue
        texts = follow_up_texts(answer)
        interactions.append(
            Interaction(
                account_id=answer.account_id,
                kind=Kind.EMAIL,
                status=Status.DONE,
                starts_at=answer.answered_at,
                duration_minutes=5,
                subject=texts.subject.strip(),
                notes=texts.notes.strip(),
                next_step=texts.next_step.strip(),
                next_step_due=due,
                next_step_owner_id=owner,
                created_by_id=owner,
            )
        )
        chosen.append((answer, owner))
    if not interactions:
        return 0
    Interaction.objects.bulk_create(interactions, batch_size=BATCH)
    ours = Interaction.our_participants.through
    theirs = Interaction.their_participants.through
    our_rows = ours.objects.bulk_create(
        [
            ours(interaction_id=i.pk, user_id=owner)
            for i, (_a, owner) in zip(interactions, chosen, strict=True)
        ],
        batch_size=BATCH,
    )
    their_rows = theirs.objects.bulk_create(
        [
            theirs(interaction_id=i.pk, contact_id=a.contact_id)
            for i, (a, _o) in zip(interactions, chosen, strict=True)
        ],
        batch_size=BATCH,
    )
    stamp = timezone.now()
    history = Interaction.history.model
    records = history.objects.bulk_create(
        [
            history(
                history_date=stamp,
                history_type="+",
                history_user_id=owner,
                history_change_reason=None,
                **{
                    f.attname: getattr(i, f.attname) for f in INTERACTION_HISTORY.fields_included(i)
                },
            )
            for i, (_answer, owner) in zip(interactions, chosen, strict=True)
        ],
        batch_size=BATCH,
    )
    for field, rows, other in (
        ("our_participants", our_rows, "user_id"),
        ("their_participants", their_rows, "contact_id"),
    ):
        m2m_history = INTERACTION_HISTORY.m2m_models[Interaction._meta.get_field(field)]
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history=record,
                    id=row.pk,
                    **{name: getattr(row, name) for name in ("interaction_id", other)},
                )
                for record, row in zip(records, rows, strict=True)
            ],
            batch_size=BATCH,
        )
    for interaction, (answer, _owner) in zip(interactions, chosen, strict=True):
        answer.follow_up = interaction
    return len(interactions)


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
    spring_answers = _wave(
        rng,
        f"{spring_end.year}年{spring_end.month}月客户满意度调查",
        spring_end,
        contacts,
        first,
        earlier=None,
    )
    autumn = f"{last_month_end.year}年{last_month_end.month}月客户满意度调查"
    _wave(rng, autumn, last_month_end, contacts, second, earlier=spring_answers)
    return Response.objects.count()
