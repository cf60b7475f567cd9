"""People: Chinese person names, and the contacts of each account's buying centre."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openkam.common.bulk import Column, nullable
from openkam.demo.catalogue import SEGMENTS
from openkam.demo.names import GIVEN_CHARACTERS, SURNAMES
from openkam.demo.plan import AccountPlan, Behaviour
from openkam.demo.texts import (
    CONTACT_ROLES,
    DEEPENING_PLANS,
    MOTIVES,
    NEEDS,
    ROLE_TITLES_BY_SEGMENT,
)

SURNAME_WEIGHT = np.array([weight for _, _, weight in SURNAMES])
CHANNELS = np.array(["wechat", "visit", "phone", "meeting", "email"])
CHANNEL_WEIGHT = np.array([0.45, 0.2, 0.2, 0.08, 0.07])
CONTACT_EVERY_DAYS = np.array([90, 90, 60, 45, 30, 14])  # by influence level 1..5
MOBILE_PREFIXES = np.array([13, 15, 17, 18, 19])
SUPPORT_BY_STAGE = {"pre": -0.3, "early": 0.1, "mid": 0.4, "partnership": 0.8, "synergistic": 1.2}


@dataclass
class PersonNames:
    name: list[str]
    surname: list[str]
    given: list[str]
    pinyin: list[str]  # surname then given name, no spaces: zhangwei


SURNAME_TEXT = np.array([surname for surname, _, _ in SURNAMES])
SURNAME_PINYIN = np.array([pinyin for _, pinyin, _ in SURNAMES])
GIVEN_TEXT = np.array([character for character, _ in GIVEN_CHARACTERS])
GIVEN_PINYIN = np.array([pinyin for _, pinyin in GIVEN_CHARACTERS])


def person_names(rng: np.random.Generator, n: int) -> PersonNames:
    """Surname by frequency; a given name of one or (more often) two characters."""
    surname = rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHT / SURNAME_WEIGHT.sum())
    first = rng.integers(0, len(GIVEN_CHARACTERS), n)
    second = rng.integers(0, len(GIVEN_CHARACTERS), n)
    two = (rng.random(n) < 0.7) & (first != second)
    given = np.strings.add(GIVEN_TEXT[first], np.where(two, GIVEN_TEXT[second], ""))
    given_py = np.strings.add(GIVEN_PINYIN[first], np.where(two, GIVEN_PINYIN[second], ""))
    return PersonNames(
        name=np.strings.add(SURNAME_TEXT[surname], given).tolist(),
        surname=SURNAME_TEXT[surname].tolist(),
        given=given.tolist(),
        pinyin=np.strings.add(SURNAME_PINYIN[surname], given_py).tolist(),
    )


def mobile_numbers(rng: np.random.Generator, n: int) -> list[str]:
    number = MOBILE_PREFIXES[rng.integers(0, MOBILE_PREFIXES.size, n)] * 10**9
    return list((number + rng.integers(0, 10**9, n)).astype(str).tolist())


def contacts_per_account(rng: np.random.Generator, plan: AccountPlan) -> NDArray[np.int64]:
    """Bigger accounts have wider buying centres: 1-3 people at a small installer, up to a
    dozen at a top OEM."""
    drawn = np.round(1.5 + 10.0 * plan.size_rank**3 + rng.normal(0.0, 0.8, plan.n))
    count = np.clip(drawn, 1, len(CONTACT_ROLES)).astype(np.int64)
    prospect = plan.behaviour == Behaviour.PROSPECT
    count[prospect] = np.minimum(count[prospect], 2)
    return count


@dataclass
class ContactRows:
    account: NDArray[np.int64]  # account index
    columns: dict[str, Column]


def _seat_table(attribute: str) -> NDArray[np.str_]:
    """(segment, seat) -> title or department, with each segment's own wording."""
    column = 0 if attribute == "title" else 1
    return np.array(
        [
            [
                ROLE_TITLES_BY_SEGMENT.get(segment.key, {}).get(
                    seat, (role.title, role.department)
                )[column]
                for seat, role in enumerate(CONTACT_ROLES)
            ]
            for segment in SEGMENTS
        ]
    )


TITLES = _seat_table("title")
DEPARTMENTS = _seat_table("department")
FUNCTIONS = list(MOTIVES)  # every function the seats use, in a fixed order
SEAT_FUNCTION = np.array([FUNCTIONS.index(role.function) for role in CONTACT_ROLES])


def _pool_table(pools: dict[str, tuple[str, ...]]) -> tuple[NDArray[np.str_], NDArray[np.int64]]:
    width = max(len(pool) for pool in pools.values())
    table = np.array([[*pools[f], *[""] * (width - len(pools[f]))] for f in FUNCTIONS])
    return table, np.array([len(pools[f]) for f in FUNCTIONS])


def pick_from_pools(
    pools: dict[str, tuple[str, ...]],
    function: NDArray[np.int64],
    offset: NDArray[np.int64],
    shift: int = 0,
) -> NDArray[np.str_]:
    """pools[function][(offset + shift) % size] per row; "" where the pool has no entry
    `shift` places on (so need_2 and need_3 never repeat need_1)."""
    table, size = _pool_table(pools)
    text = table[function, (offset + shift) % size[function]]
    return np.where(size[function] > shift, text, "")


def _support(
    rng: np.random.Generator, plan: AccountPlan, account: NDArray[np.int64]
) -> NDArray[np.int64]:
    mean = np.array([SUPPORT_BY_STAGE[str(stage)] for stage in plan.relationship])[account]
    unhappy = np.isin(plan.lifecycle[account], ["lost", "churn_warning"])
    mean = np.where(unhappy, mean - 0.8, mean)
    return np.clip(np.round(mean + rng.normal(0.0, 0.9, account.size)), -2, 2).astype(np.int64)


def make_contacts(
    rng: np.random.Generator,
    plan: AccountPlan,
    domains: list[str],
    first_id: int,
    account_ids: NDArray[np.int64],
) -> ContactRows:
    """Contacts with ids first_id..., each reporting to the seat above it in the org chart."""
    count = contacts_per_account(rng, plan)
    account = np.repeat(np.arange(plan.n), count)
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    seat = np.arange(account.size) - np.repeat(starts, count)
    n = account.size
    ids = first_id + np.arange(n)
    parent_seat = np.array([-1 if r.parent is None else r.parent for r in CONTACT_ROLES])[seat]
    boss = first_id + np.repeat(starts, count) + parent_seat
    names = person_names(rng, n)
    segment = plan.segment[account]
    function = SEAT_FUNCTION[seat]
    level = np.array([r.level for r in CONTACT_ROLES])[seat]
    influence = np.clip(6 - level + rng.integers(-1, 2, n) * (rng.random(n) < 0.3), 1, 5)
    hands_on = np.isin(
        np.array(FUNCTIONS)[function], ["purchasing", "projects", "engineering", "quality"]
    )
    participation = np.clip(np.where(hands_on, 4, 2) + rng.integers(-1, 2, n), 1, 5)
    stage_flags = np.array([r.stages for r in CONTACT_ROLES])[seat]
    flips = rng.random((n, 4)) < 0.1
    stage_flags = stage_flags ^ flips
    need_offset = rng.integers(0, 1_000, n)
    phones = np.array(mobile_numbers(rng, n))
    pinyin = np.array(names.pinyin)
    handle = np.strings.add(pinyin, rng.integers(10, 9999, n).astype(str))
    by_phone = rng.random(n) < 0.6
    columns: dict[str, Column] = {
        "id": ids,
        "account_id": account_ids[account],
        "name": names.name,
        "title": TITLES[segment, seat],
        "department": DEPARTMENTS[segment, seat],
        "function": np.array(FUNCTIONS)[function],
        "reports_to_id": nullable(boss, parent_seat >= 0),
        "phone": phones,
        "email": np.strings.add(np.strings.add(pinyin, "@"), np.array(domains)[account]),
        "wechat": np.where(by_phone, phones, handle),
        "influence_type": np.array([r.influence_type for r in CONTACT_ROLES])[seat],
        "influence_level": influence,
        "participation": participation,
        "support": _support(rng, plan, account),
        "stage_needs": stage_flags[:, 0],
        "stage_options": stage_flags[:, 1],
        "stage_choice": stage_flags[:, 2],
        "stage_after_sale": stage_flags[:, 3],
        "motives": pick_from_pools(MOTIVES, function, rng.integers(0, 1_000, n)),
        "need_1": pick_from_pools(NEEDS, function, need_offset),
        "need_2": pick_from_pools(NEEDS, function, need_offset, 1),
        "need_3": pick_from_pools(NEEDS, function, need_offset, 2),
        "preferred_channel": CHANNELS[rng.choice(CHANNELS.size, size=n, p=CHANNEL_WEIGHT)],
        "contact_every_days": CONTACT_EVERY_DAYS[influence],
        "deepening_plan": np.array(DEEPENING_PLANS)[rng.integers(0, len(DEEPENING_PLANS), n)],
        "is_active": rng.random(n) < 0.95,
    }
    return ContactRows(account=account, columns=columns)
