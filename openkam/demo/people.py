"""People: Chinese person names, and the contacts of each account's buying centre."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

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
from openkam.demo.writer import Column

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


def person_names(rng: np.random.Generator, n: int) -> PersonNames:
    surname = rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHT / SURNAME_WEIGHT.sum())
    first = rng.integers(0, len(GIVEN_CHARACTERS), n)
    second = rng.integers(0, len(GIVEN_CHARACTERS), n)
    two = rng.random(n) < 0.7
    surnames, givens, pinyins = [], [], []
    for s, a, b, double in zip(surname, first, second, two, strict=True):
        family, family_py, _ = SURNAMES[s]
        given, given_py = GIVEN_CHARACTERS[a]
        if double and a != b:
            given += GIVEN_CHARACTERS[b][0]
            given_py += GIVEN_CHARACTERS[b][1]
        surnames.append(family)
        givens.append(given)
        pinyins.append(family_py + given_py)
    names = [s + g for s, g in zip(surnames, givens, strict=True)]
    return PersonNames(name=names, surname=surnames, given=givens, pinyin=pinyins)


def mobile_numbers(rng: np.random.Generator, n: int) -> list[str]:
    prefix = MOBILE_PREFIXES[rng.integers(0, MOBILE_PREFIXES.size, n)]
    rest = rng.integers(0, 1_000_000_000, n)
    return [f"{p}{r:09d}" for p, r in zip(prefix, rest, strict=True)]


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


def _seat_titles(
    segment: NDArray[np.int64], seat: NDArray[np.int64]
) -> tuple[list[str], list[str]]:
    titles, departments = [], []
    for s, r in zip(segment, seat, strict=True):
        role = CONTACT_ROLES[r]
        override = ROLE_TITLES_BY_SEGMENT.get(SEGMENTS[s].key, {}).get(int(r))
        title, department = override if override else (role.title, role.department)
        titles.append(title)
        departments.append(department)
    return titles, departments


def _pick(
    rng: np.random.Generator, pools: dict[str, tuple[str, ...]], keys: list[str]
) -> list[str]:
    picks = rng.integers(0, 1_000, len(keys))
    return [pools[key][p % len(pools[key])] for key, p in zip(keys, picks, strict=True)]


def _needs(
    rng: np.random.Generator, functions: list[str]
) -> tuple[list[str], list[str], list[str]]:
    start = rng.integers(0, 1_000, len(functions))
    first, second, third = [], [], []
    for function, k in zip(functions, start, strict=True):
        pool = NEEDS[function]
        first.append(pool[k % len(pool)])
        second.append(pool[(k + 1) % len(pool)] if len(pool) > 1 else "")
        third.append(pool[(k + 2) % len(pool)] if len(pool) > 2 else "")
    return first, second, third


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
    reports_to = [
        None if p < 0 else int(first_id + s + p)
        for p, s in zip(parent_seat, np.repeat(starts, count), strict=True)
    ]
    names = person_names(rng, n)
    titles, departments = _seat_titles(plan.segment[account], seat)
    functions = [CONTACT_ROLES[r].function for r in seat]
    level = np.array([r.level for r in CONTACT_ROLES])[seat]
    influence = np.clip(6 - level + rng.integers(-1, 2, n) * (rng.random(n) < 0.3), 1, 5)
    hands_on = np.isin(functions, ["purchasing", "projects", "engineering", "quality"])
    participation = np.clip(np.where(hands_on, 4, 2) + rng.integers(-1, 2, n), 1, 5)
    stage_flags = np.array([r.stages for r in CONTACT_ROLES])[seat]
    flips = rng.random((n, 4)) < 0.1
    stage_flags = stage_flags ^ flips
    n1, n2, n3 = _needs(rng, functions)
    phones = mobile_numbers(rng, n)
    suffix = rng.integers(10, 9999, n)
    by_phone = rng.random(n) < 0.6
    columns: dict[str, Column] = {
        "id": ids,
        "account_id": account_ids[account],
        "name": names.name,
        "title": titles,
        "department": departments,
        "function": functions,
        "reports_to_id": reports_to,
        "phone": phones,
        "email": [f"{p}@{domains[a]}" for p, a in zip(names.pinyin, account, strict=True)],
        "wechat": [
            phone if use_phone else f"{p}{s}"
            for phone, use_phone, p, s in zip(phones, by_phone, names.pinyin, suffix, strict=True)
        ],
        "influence_type": [CONTACT_ROLES[r].influence_type for r in seat],
        "influence_level": influence,
        "participation": participation,
        "support": _support(rng, plan, account),
        "stage_needs": stage_flags[:, 0],
        "stage_options": stage_flags[:, 1],
        "stage_choice": stage_flags[:, 2],
        "stage_after_sale": stage_flags[:, 3],
        "motives": _pick(rng, MOTIVES, functions),
        "need_1": n1,
        "need_2": n2,
        "need_3": n3,
        "preferred_channel": CHANNELS[rng.choice(CHANNELS.size, size=n, p=CHANNEL_WEIGHT)],
        "contact_every_days": CONTACT_EVERY_DAYS[influence],
        "deepening_plan": np.array(DEEPENING_PLANS)[rng.integers(0, len(DEEPENING_PLANS), n)],
        "is_active": rng.random(n) < 0.95,
    }
    return ContactRows(account=account, columns=columns)
