"""Company identities: legal and short names, unified social credit codes, addresses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openkam.common.credit_code import ALPHABET, WEIGHTS
from openkam.demo.catalogue import CITIES, DISTRICT_SUFFIXES, SEGMENTS
from openkam.demo.names import (
    BRAND_FIRST,
    BRAND_SECOND,
    STREETS,
    SUFFIX_GROUP,
    SUFFIX_HOLDING_GROUP,
    SUFFIX_JOINT_STOCK,
    SUFFIX_LLC,
    ZONES,
)
from openkam.demo.plan import AccountPlan, Behaviour

BRANDS: tuple[tuple[str, str], ...] = tuple(
    (first + second, first_py + second_py)
    for first, first_py in BRAND_FIRST
    for second, second_py in BRAND_SECOND
    if first != second
)

# GB 11714 organisation code: 8 body characters and a check character.
ORGANISATION_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


@dataclass
class Companies:
    legal_name: list[str]
    short_name: list[str]
    credit_code: list[str]
    brand: NDArray[np.int64]
    domain: list[str]
    website: list[str]
    address: list[str]
    phone: list[str]


def _brands(rng: np.random.Generator, plan: AccountPlan) -> NDArray[np.int64]:
    """One brand per group, shared by its subsidiaries; other accounts draw from the rest."""
    n_groups = int(plan.group.max()) + 1 if plan.n else 0
    pool = rng.permutation(len(BRANDS))
    group_brands = pool[: min(n_groups, len(BRANDS) // 2)]
    free = pool[group_brands.size :]
    brand = free[rng.integers(0, free.size, plan.n)]
    in_group = plan.group >= 0
    brand[in_group] = group_brands[plan.group[in_group] % max(group_brands.size, 1)]
    return brand.astype(np.int64)


QUALIFIERS = ("新", "恒", "宏", "鑫", "卓", "久", "同", "盈", "佳", "德")
NAME_QUALIFIERS = ("", *QUALIFIERS, *(a + b for a in QUALIFIERS for b in QUALIFIERS))


def _first_free(candidates: Iterator[str], taken: set[str]) -> str:
    """Two firms cannot register the same name in one place: take the first free variant."""
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("name variants exhausted")  # pragma: no cover


def _name_variants(start: int, words: tuple[str, ...], pattern: str) -> Iterator[str]:
    """`pattern` holds {q} (qualifier) and {w} (trade word); try every word, then qualifiers."""
    for q in NAME_QUALIFIERS:
        for k in range(len(words)):
            yield pattern.format(q=q, w=words[(start + k) % len(words)])


def _legal_names(
    rng: np.random.Generator, plan: AccountPlan, brand: NDArray[np.int64]
) -> tuple[list[str], list[str]]:
    word_pick = rng.integers(0, 1000, plan.n)
    joint_stock = (plan.size_rank > 0.85) & (rng.random(plan.n) < 0.5)
    holding = rng.random(plan.n) < 0.3
    is_root = (plan.group >= 0) & (plan.parent < 0)
    taken: set[str] = set()
    legal: list[str] = []
    short: list[str] = []
    for i in range(plan.n):
        city = CITIES[int(plan.city[i])]
        name = BRANDS[int(brand[i])][0]
        words = SEGMENTS[int(plan.segment[i])].name_words
        if is_root[i]:
            suffix = SUFFIX_HOLDING_GROUP if holding[i] else SUFFIX_GROUP
            pattern = "{q}" + name + ("" if holding[i] else "{w}") + suffix
            short.append(f"{name}集团")
        elif city.region == "overseas":
            pattern = "{q}" + name + "{w}（" + city.province + "）" + SUFFIX_LLC
            short.append(f"{name}{city.short}")
        else:
            suffix = SUFFIX_JOINT_STOCK if joint_stock[i] else SUFFIX_LLC
            pattern = city.short + "{q}" + name + "{w}" + suffix
            short.append(f"{city.short}{name}{words[int(word_pick[i]) % len(words)][:2]}")
        variants = _name_variants(int(word_pick[i]), words, pattern)
        legal.append(_first_free(variants, taken))
    return legal, short


def credit_codes(rng: np.random.Generator, plan: AccountPlan) -> list[str]:
    """Unique, valid unified social credit codes (GB 32100-2015); blank for overseas firms.

    91 (enterprise registered with the market regulator), the division code of the city,
    an organisation code with its own GB 11714 check character, then the check character.
    """
    n = plan.n
    division = np.array([int(city.division or 0) for city in CITIES])[plan.city]
    district = np.array([int(s) for s in DISTRICT_SUFFIXES])[rng.integers(0, 10, n)]
    body = rng.choice(90_000_000, size=n, replace=False) + 10_000_000
    # Every character is a digit here except a GB 11714 check of 10, written X.
    values = np.zeros((n, 18), dtype=np.int64)
    values[:, 0], values[:, 1] = 9, 1
    values[:, 2:8] = _decimal_digits(division * 100 + district, 6)
    values[:, 8:16] = _decimal_digits(body, 8)
    org_check = (11 - (values[:, 8:16] * ORGANISATION_WEIGHTS).sum(axis=1) % 11) % 11
    values[:, 16] = np.where(org_check == 10, ALPHABET.index("X"), org_check)
    total = (values[:, :17] * np.array(WEIGHTS)).sum(axis=1)
    values[:, 17] = (31 - total % 31) % 31
    symbols = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    codes = symbols[values].view("S18").ravel().astype("<U18")
    overseas = np.array([city.region == "overseas" for city in CITIES])[plan.city]
    return list(np.where(overseas, "", codes).tolist())


def _decimal_digits(numbers: NDArray[np.int64], width: int) -> NDArray[np.int64]:
    return (numbers[:, None] // 10 ** np.arange(width - 1, -1, -1)[None, :]) % 10


CITY_PLACE = np.array(
    [city.name if city.province == city.name else city.province + city.name for city in CITIES]
)
CITY_PHONE_PREFIX = np.array(
    [city.area_code + (" " if city.region == "overseas" else "-") for city in CITIES]
)


def _contact_points(
    rng: np.random.Generator, plan: AccountPlan, brand: NDArray[np.int64]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Web domain, web site (small firms often have none), address and switchboard number."""
    n = plan.n
    add = np.strings.add
    brand_pinyin = np.array([pinyin for _, pinyin in BRANDS])[brand]
    trade = np.array([segment.domain_word for segment in SEGMENTS])[plan.segment]
    tld = np.array([".com", ".com.cn", ".cn"])[rng.integers(0, 3, n)]
    domain = add(add(brand_pinyin, trade), tld)
    has_site = (plan.size_rank > 0.3) | (rng.random(n) < 0.5)
    website = np.where(has_site, add("https://www.", domain), "")
    zone = np.array(ZONES)[rng.integers(0, len(ZONES), n)]
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    number = rng.integers(1, 999, n).astype(str)
    address = add(add(add(add(CITY_PLACE[plan.city], zone), street), number), "号")
    phone = add(CITY_PHONE_PREFIX[plan.city], rng.integers(50_000_000, 89_999_999, n).astype(str))
    return domain.tolist(), website.tolist(), address.tolist(), phone.tolist()


def make_companies(rng: np.random.Generator, plan: AccountPlan) -> Companies:
    brand = _brands(rng, plan)
    legal, short = _legal_names(rng, plan, brand)
    domain, website, address, phone = _contact_points(rng, plan, brand)
    return Companies(
        legal_name=legal,
        short_name=short,
        credit_code=credit_codes(rng, plan),
        brand=brand,
        domain=domain,
        website=website,
        address=address,
        phone=phone,
    )


def credit_limits(rng: np.random.Generator, plan: AccountPlan) -> NDArray[np.float64]:
    """About two to three months of purchases, rounded to ten thousand CNY."""
    months = rng.uniform(1.5, 3.5, plan.n)
    limit = np.round(plan.size / 12.0 * months, -4)
    limit = np.maximum(limit, 50_000.0)
    return np.where(plan.behaviour == Behaviour.PROSPECT, 0.0, limit)
