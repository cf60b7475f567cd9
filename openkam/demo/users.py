"""The demo company's sales organisation: KAM teams, directors and a login for every role.

A few dozen rows at most, so the ORM does it. The password is hashed once and the hash
reused: PBKDF2 costs a large fraction of a second per call, and every demo login shares the
published demo password anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth.hashers import make_password

from openkam.demo.catalogue import PERSONAS, TEAMS, Persona
from openkam.demo.people import mobile_numbers, person_names
from openkam.team.models import Role, Team, TeamMembership, User

MAX_EXTRA_KAMS = 40
ACCOUNTS_PER_KAM = 25


@dataclass
class DemoLogin:
    username: str
    display_name: str
    role: str
    team: str
    created: bool  # False: the user existed and kept its password


@dataclass
class Organisation:
    team_ids: dict[str, int]  # TeamInfo key -> Team id
    kam_ids: dict[str, list[int]]  # TeamInfo key -> KAM user ids, `kam` / `kam2` first
    logins: list[DemoLogin] = field(default_factory=list)


def _extra_kams(rng: np.random.Generator, n_accounts: int) -> list[Persona]:
    """More KAMs for bigger customer bases, spread over the teams."""
    count = min(max(n_accounts // ACCOUNTS_PER_KAM - 2, 3), MAX_EXTRA_KAMS)
    names = person_names(rng, 4 * count)
    taken = {persona.surname + persona.given for persona in PERSONAS}
    chosen: list[tuple[str, str]] = []
    for surname, given in zip(names.surname, names.given, strict=True):
        if surname + given not in taken and len(chosen) < count:
            taken.add(surname + given)
            chosen.append((surname, given))
    return [
        Persona(
            username=f"kam{i + 3}",
            surname=surname,
            given=given,
            role=Role.KAM,
            function="sales",
            team=TEAMS[i % len(TEAMS)].key,
        )
        for i, (surname, given) in enumerate(chosen)
    ]


def _user(persona: Persona, password_hash: str, phone: str) -> tuple[User, bool]:
    user = User.objects.filter(username=persona.username).first()
    created = user is None
    if user is None:
        user = User(username=persona.username, password=password_hash)
    user.first_name = persona.given
    user.last_name = persona.surname
    user.display_name = persona.surname + persona.given
    user.role = persona.role
    user.function = persona.function
    user.email = user.email or f"{persona.username}@demo.openkam.example"
    user.phone = user.phone or phone
    user.is_active = True
    user.is_staff = user.is_staff or persona.superuser
    user.is_superuser = user.is_superuser or persona.superuser
    user.save()
    return user, created


def create_organisation(
    *, rng: np.random.Generator, n_accounts: int, password: str
) -> Organisation:
    password_hash = make_password(password)
    teams = {info.key: Team.objects.get_or_create(name=info.name)[0] for info in TEAMS}
    for info in TEAMS:
        teams[info.key].region = info.region_label
    personas = [*PERSONAS, *_extra_kams(rng, n_accounts)]
    phones = mobile_numbers(rng, len(personas))
    org = Organisation(team_ids={k: t.pk for k, t in teams.items()}, kam_ids={k: [] for k in teams})
    for persona, phone in zip(personas, phones, strict=True):
        user, created = _user(persona, password_hash, phone)
        team_name = ""
        if persona.team is not None:
            team = teams[persona.team]
            team_name = team.name
            TeamMembership.objects.update_or_create(
                team=team, user=user, defaults={"team_role": persona.team_role}
            )
            if persona.directs:
                team.director = user
            if persona.role == Role.KAM:
                org.kam_ids[persona.team].append(user.pk)
        org.logins.append(
            DemoLogin(persona.username, user.display_name, persona.role, team_name, created)
        )
    for team in teams.values():
        team.save()
    return org
