"""Demo interactions: two years of visits, calls and meetings, and the next two weeks'
plans, shaped by each account's tier and KAM relationship stage (DOMAIN §4).

An early-stage account is a "bow tie": its KAM meets one buyer. Mid-stage accounts see more
of their people. In a partnership ("diamond") and above, our other functions meet their
counterparts (R&D with engineering, quality with quality, management with management), so
the coverage matrix and the stage assessed from it tell the same story as the recorded
stage. Everything is drawn with numpy and bulk-written; no Python loop runs per row.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
from django.db import connection
from numpy.typing import NDArray

from openkam.common.bulk import BulkWriter, Column, next_id, nullable, reset_sequences
from openkam.interactions.models import ContactCadence, Interaction
from openkam.relationships.models import TheirFunction

HISTORY_DAYS = 730
NAT = np.iinfo(np.int64).min  # datetime64's 'not a time': NULL once written
PLAN_DAYS = 14
KINDS = np.array(["visit", "call", "meeting", "training", "event", "email"])
KIND_WEIGHT = np.array([0.40, 0.28, 0.17, 0.05, 0.04, 0.06])
# Interactions done per year by tier, and how the relationship stage scales it.
RATE_BY_TIER = {"strategic": 16.0, "key": 11.0, "major": 5.0, "general": 1.6}
STAGE_FACTOR = {"pre": 0.15, "early": 0.8, "mid": 1.0, "partnership": 1.1, "synergistic": 1.2}
# Meetings a year of each of our other functions with its counterpart, by stage.
PAIR_RATE = {"mid": 0.6, "partnership": 3.5, "synergistic": 8.0}
PLANNED_CHANCE = {"strategic": 0.8, "key": 0.55, "major": 0.25, "general": 0.03}
THEIR_FUNCTIONS = [code for code, _label in TheirFunction.choices]
# Our function -> their functions it meets, best first.
COUNTERPART_ORDER = {
    "management": ["management"],
    "rnd": ["engineering"],
    "quality": ["quality", "she"],
    "service": ["projects", "operations"],
    "finance": ["finance"],
    "marketing": ["marketing"],
}
# In a synergistic relationship the joint teams meet: service with their operations, quality
# with their safety-health-environment people, when the account has them.
JOINT_TEAM_ORDER = {
    **COUNTERPART_ORDER,
    "quality": ["she", "quality"],
    "service": ["operations", "projects"],
}
WIDE_STAGES = ["mid", "partnership", "synergistic"]
# Which of our functions lead the functional interactions at each stage (management meets
# management only in synergistic relationships: joint board meetings).
FUNCTION_MIX = {
    "mid": ["rnd", "quality", "service"],
    "partnership": ["rnd", "quality", "service", "finance"],
    "synergistic": ["management", "rnd", "quality", "service", "marketing", "finance"],
}

SUBJECTS = {
    "visit": (
        "季度业务回访",
        "拜访采购部，沟通年度采购计划",
        "现场走访在建项目",
        "拜访技术部，了解新项目需求",
        "节前走访客户高层",
        "回访设备使用情况",
    ),
    "call": (
        "电话沟通订单交期",
        "电话跟进报价反馈",
        "确认付款计划",
        "电话回访服务满意度",
        "沟通备件需求",
    ),
    "meeting": (
        "年度合作框架谈判",
        "技术方案评审会",
        "质量问题专题会议",
        "联合项目周例会",
        "高层战略合作会谈",
        "供应链协同会议",
    ),
    "training": (
        "新产品技术培训",
        "维保人员操作培训",
        "安全规范培训",
    ),
    "event": (
        "邀请参加行业展会",
        "新品发布会",
        "客户答谢会",
    ),
    "email": (
        "发送报价及技术资料",
        "发送合同修订稿",
        "发送季度对账单",
    ),
}
NOTES = (
    "客户对交付周期较为关注，希望缩短至四周以内。",
    "采购部表示下季度有新增项目，预计需求量上升。",
    "技术部对我方新型号的能耗表现感兴趣，要求提供测试报告。",
    "客户提到竞争对手近期报价下调约5%，需关注价格压力。",
    "质量部反馈上批次产品合格率良好，希望保持。",
    "客户高层肯定双方合作，提出建立定期沟通机制。",
    "付款流程已进入财务审批，预计月底前到账。",
    "项目现场进度滞后，安装计划顺延两周。",
    "客户希望我方派驻工程师参与联合调试。",
    "对方新任采购负责人到岗，需尽快建立联系。",
)
NEXT_STEPS = (
    "提交正式报价",
    "安排技术交流会",
    "发送测试报告",
    "确认下批次交付计划",
    "跟进付款进度",
    "约见采购总监",
    "提交联合改进方案",
    "安排高层互访",
    "整理会议纪要并发送客户",
    "准备年度合作协议草案",
)


@dataclass
class _Accounts:
    ids: NDArray[np.int64]
    tier: NDArray[np.str_]
    owner: NDArray[np.int64]  # -1: nobody
    director: NDArray[np.int64]  # the team's director, -1: none
    stage: NDArray[np.str_]
    lifecycle: NDArray[np.str_]


@dataclass
class _Contacts:
    first: NDArray[np.int64]  # per account: index of its first contact in `ids` (or 0)
    count: NDArray[np.int64]  # per account: how many
    ids: NDArray[np.int64]
    by_function: NDArray[np.int64]  # (account, their function) -> contact index, -1: none


def _lookup(values: NDArray[np.str_], mapping: dict[str, float], default: float) -> NDArray:
    """mapping[value] for each value, through the distinct values (no loop per row)."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([mapping.get(str(v), default) for v in distinct])[inverse]


def _rng(seed: int, purpose: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(purpose.encode())])


def _read_accounts(
    account_ids: NDArray[np.int64], stage: NDArray[np.str_], lifecycle: NDArray[np.str_]
) -> _Accounts:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, a.tier, COALESCE(a.owner_id, -1), COALESCE(t.director_id, -1)"
            " FROM accounts_account a LEFT JOIN team_team t ON t.id = a.team_id"
            " WHERE a.id BETWEEN %s AND %s ORDER BY a.id",
            [int(account_ids[0]), int(account_ids[-1])],
        )
        rows = cursor.fetchall()
    id_column, tier, owner, director = zip(*rows, strict=True)
    ids = np.array(id_column, dtype=np.int64)
    position = np.searchsorted(account_ids, ids)
    return _Accounts(
        ids=ids,
        tier=np.array(tier),
        owner=np.array(owner, dtype=np.int64),
        director=np.array(director, dtype=np.int64),
        stage=stage[position],
        lifecycle=lifecycle[position],
    )


def _read_contacts(accounts: _Accounts) -> _Contacts:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, account_id, function FROM relationships_contact"
            " WHERE account_id BETWEEN %s AND %s AND is_active ORDER BY account_id, id",
            [int(accounts.ids[0]), int(accounts.ids[-1])],
        )
        rows = cursor.fetchall()
    id_column, account_column, function_column = zip(*rows, strict=True) if rows else ((), (), ())
    ids = np.array(id_column, dtype=np.int64)
    account = np.searchsorted(accounts.ids, np.array(account_column, dtype=np.int64))
    codes = {code: float(index) for index, code in enumerate(THEIR_FUNCTIONS)}
    function = _lookup(np.array(function_column, dtype=str), codes, -1.0).astype(np.int64)
    count = np.bincount(account, minlength=accounts.ids.size).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    by_function = np.full((accounts.ids.size, len(THEIR_FUNCTIONS)), -1, dtype=np.int64)
    known = function >= 0
    # The earliest seat of each function: reversed assignment leaves the first one standing.
    order = np.flatnonzero(known)[::-1]
    by_function[account[order], function[order]] = order
    return _Contacts(first=first, count=count, ids=ids, by_function=by_function)


def _specialists() -> dict[str, int]:
    """One of our people per non-sales function (the demo's support staff and managers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT function, MIN(id) FROM team_user WHERE is_active AND NOT is_superuser"
            " AND function <> 'sales' GROUP BY function"
        )
        return {row[0]: int(row[1]) for row in cursor.fetchall()}


def _business_time(rng: np.random.Generator, days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """A weekday between 09:00 and 17:30 Shanghai time (01:00-09:30 UTC) on or near `days`."""
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    days = days - np.where(weekday == 5, 1, 0) + np.where(weekday == 6, 1, 0)
    minutes = 60 + 30 * rng.integers(0, 18, days.size)
    return (days * 86400 + minutes * 60).astype("datetime64[s]")


def write_interactions(
    *,
    writer: BulkWriter,
    seed: int,
    today: dt.date,
    account_ids: NDArray[np.int64],
    relationship: NDArray[np.str_],
    lifecycle: NDArray[np.str_],
) -> int:
    """Write the demo's interactions and their participants; returns how many."""
    accounts = _read_accounts(account_ids, relationship, lifecycle)
    contacts = _read_contacts(accounts)
    specialists = _specialists()
    rng = _rng(seed, "interactions")
    n_accounts = accounts.ids.size
    today_day = int(np.datetime64(today, "D").astype(np.int64))

    years = HISTORY_DAYS / 365.0
    scale = np.where(np.isin(accounts.lifecycle, ["lost"]), 0.25, 1.0)
    scale *= np.where(accounts.owner < 0, 0.4, 1.0)
    scale *= np.where(contacts.count == 0, 0.0, 1.0)
    rate = _lookup(accounts.tier, RATE_BY_TIER, 1.0)
    rate *= _lookup(accounts.stage, STAGE_FACTOR, 1.0)
    sales_count = rng.poisson(rate * scale * years)
    # Functional meetings: per pair of counterparts a rate set by the stage, not the tier, so
    # that a partnership looks like one whatever the account's size.
    functions = list(COUNTERPART_ORDER)
    per_function = np.zeros((n_accounts, len(functions)))
    for stage_code, mix in FUNCTION_MIX.items():
        rows = accounts.stage == stage_code
        for name in mix:
            if name in specialists:
                per_function[rows, functions.index(name)] = PAIR_RATE[stage_code]
    func_counts = rng.poisson(per_function * (scale * years)[:, None])
    planned_chance = _lookup(accounts.tier, PLANNED_CHANCE, 0.0)
    planned = (
        (rng.random(n_accounts) < planned_chance) & (accounts.owner >= 0) & (contacts.count > 0)
    )
    account = np.concatenate(
        [
            np.repeat(np.arange(n_accounts), sales_count),
            np.repeat(np.arange(n_accounts), func_counts.sum(axis=1)),
            np.flatnonzero(planned),
        ]
    )
    n = account.size
    if n == 0:
        return 0
    n_sales, n_functional = int(sales_count.sum()), int(func_counts.sum())
    is_planned = np.zeros(n, dtype=bool)
    is_planned[n_sales + n_functional :] = True
    functional = np.zeros(n, dtype=bool)
    functional[n_sales : n_sales + n_functional] = True
    our_function = np.full(n, "", dtype="<U12")
    our_function[functional] = np.array(functions)[
        np.repeat(np.tile(np.arange(len(functions)), n_accounts), func_counts.ravel())
    ]

    day = np.where(
        is_planned,
        today_day + rng.integers(0, PLAN_DAYS, n),
        today_day - rng.integers(1, HISTORY_DAYS, n),
    )
    starts = _business_time(rng, day.astype(np.int64))
    # A weekend moved to Monday can land on today or later: such a visit is still planned.
    start_day = starts.astype("datetime64[D]").astype(np.int64)
    is_planned |= start_day >= today_day
    cancelled = ~is_planned & (rng.random(n) < 0.04)
    status = np.where(is_planned, "planned", np.where(cancelled, "cancelled", "done"))
    kind = KINDS[rng.choice(KINDS.size, size=n, p=KIND_WEIGHT)]
    kind = np.where(functional & (kind == "email"), "meeting", kind)

    # Who of ours leads: the KAM (the team's director when nobody owns the account), or, for
    # functional interactions, one of our other functions.
    stage = accounts.stage[account]
    sales_lead = np.where(
        accounts.owner[account] >= 0, accounts.owner[account], accounts.director[account]
    )
    specialist_id = _lookup(our_function, {k: float(v) for k, v in specialists.items()}, -1.0)
    specialist_id = specialist_id.astype(np.int64)
    lead = np.where(functional, specialist_id, sales_lead)

    # Whom of theirs: a bow tie meets the first buyer; wider relationships anyone, weighted to
    # the top of the org chart; functional interactions the counterpart function.
    count = contacts.count[account]
    first = contacts.first[account]
    seat = np.where(
        stage == "early",
        np.minimum(1, count - 1),
        np.minimum((rng.random(n) ** 1.6 * count).astype(np.int64), count - 1),
    )
    seat = np.where(stage == "pre", 0, seat)
    contact_index = first + np.maximum(seat, 0)
    # Beyond the bow tie the KAM still sees purchasing in about half of the visits.
    buyer = contacts.by_function[account, THEIR_FUNCTIONS.index("purchasing")]
    to_buyer = ~functional & np.isin(stage, WIDE_STAGES) & (buyer >= 0) & (rng.random(n) < 0.5)
    contact_index = np.where(to_buyer, buyer, contact_index)
    for (our, theirs), synergistic in [
        *((item, False) for item in COUNTERPART_ORDER.items()),
        *((item, True) for item in JOINT_TEAM_ORDER.items()),
    ]:
        rows = np.flatnonzero(
            functional & (our_function == our) & ((stage == "synergistic") == synergistic)
        )
        chosen = np.full(rows.size, -1, dtype=np.int64)
        for their in reversed(theirs):
            found = contacts.by_function[account[rows], THEIR_FUNCTIONS.index(their)]
            chosen = np.where(found >= 0, found, chosen)
        contact_index[rows] = np.where(chosen >= 0, chosen, contact_index[rows])
    their_main = contacts.ids[contact_index]

    interaction_ids = next_id(connection, Interaction._meta.db_table) + np.arange(n)
    stamp = np.datetime64(dt.datetime.combine(today, dt.time(1, 0)), "s")
    text = _texts(rng, kind, status, starts, today_day, lead)
    columns: dict[str, Column] = {
        "id": interaction_ids,
        "created_at": np.minimum(starts - np.timedelta64(86400, "s") * is_planned, stamp),
        "updated_at": np.full(n, stamp),
        "account_id": accounts.ids[account],
        "kind": kind,
        "status": status,
        "starts_at": starts,
        "duration_minutes": np.where(
            kind == "call", 20, np.where(kind == "email", 10, 60 + 30 * rng.integers(0, 4, n))
        ),
        "subject": text["subject"],
        "notes": text["notes"],
        "next_step": text["next_step"],
        "next_step_due": text["next_step_due"],
        "next_step_owner_id": nullable(lead, (text["next_step"] != "") & (lead >= 0)),
        "next_step_done": text["next_step_done"],
        "created_by_id": nullable(lead, lead >= 0),
    }
    writer.insert(Interaction._meta.db_table, columns)

    # Our side: the lead, and the KAM alongside in half the functional meetings.
    with_kam = functional & (rng.random(n) < 0.5) & (sales_lead >= 0) & (sales_lead != lead)
    our_interaction = np.concatenate([interaction_ids[lead >= 0], interaction_ids[with_kam]])
    our_user = np.concatenate([lead[lead >= 0], sales_lead[with_kam]])
    writer.insert(
        Interaction.our_participants.through._meta.db_table,
        {
            "id": next_id(connection, Interaction.our_participants.through._meta.db_table)
            + np.arange(our_user.size),
            "interaction_id": our_interaction,
            "user_id": our_user,
        },
    )
    # Their side: the main contact, and a second one in half the meetings and trainings.
    group = np.isin(kind, ["meeting", "training", "event"]) & (count > 1) & (rng.random(n) < 0.5)
    second_seat = rng.integers(0, np.maximum(count, 1))
    second = contacts.ids[first + second_seat]
    group &= second != their_main
    their_interaction = np.concatenate([interaction_ids, interaction_ids[group]])
    their_contact = np.concatenate([their_main, second[group]])
    writer.insert(
        Interaction.their_participants.through._meta.db_table,
        {
            "id": next_id(connection, Interaction.their_participants.through._meta.db_table)
            + np.arange(their_contact.size),
            "interaction_id": their_interaction,
            "contact_id": their_contact,
        },
    )
    _default_cadence()
    reset_sequences(
        connection,
        [
            Interaction,
            Interaction.our_participants.through,
            Interaction.their_participants.through,
            ContactCadence,
        ],
    )
    return n


def _texts(
    rng: np.random.Generator,
    kind: NDArray[np.str_],
    status: NDArray[np.str_],
    starts: NDArray[np.datetime64],
    today_day: int,
    lead: NDArray[np.int64],
) -> dict[str, NDArray]:
    n = kind.size
    subject = np.full(n, "", dtype=object)
    for code, pool in SUBJECTS.items():
        rows = kind == code
        subject[rows] = np.array(pool, dtype=object)[rng.integers(0, len(pool), rows.sum())]
    done = status == "done"
    notes = np.where(done, np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), n)], "")
    start_day = starts.astype("datetime64[D]").astype(np.int64)
    recent = start_day >= today_day - 90
    has_step = (
        (status != "cancelled")
        & (lead >= 0)
        & np.where(recent, rng.random(n) < 0.6, rng.random(n) < 0.2)
    )
    due_day = start_day + rng.integers(3, 28, n)
    # Steps long past due were done; of the recent ones some are still open (and overdue).
    step_done = has_step & (
        (due_day < today_day - 21) | ((due_day < today_day) & (rng.random(n) < 0.5))
    )
    return {
        "subject": subject,
        "notes": notes,
        "next_step": np.where(
            has_step, np.array(NEXT_STEPS, dtype=object)[rng.integers(0, len(NEXT_STEPS), n)], ""
        ),
        "next_step_due": np.where(has_step, due_day, np.iinfo(np.int64).min).astype(
            "datetime64[D]"
        ),
        "next_step_done": step_done,
    }


def _default_cadence() -> None:
    """The wipe before a demo empties every table of the apps; put the defaults back."""
    from openkam.interactions.models import DEFAULT_CADENCE_DAYS

    for tier, days in DEFAULT_CADENCE_DAYS.items():
        ContactCadence.objects.get_or_create(tier=tier, defaults={"every_days": days})
