"""The standing account teams of the demo's key accounts (issue 14; DOMAIN §4: cross-functional
support and an executive sponsor): the executive sponsors every strategic account, R&D and
service support sit on the strategic accounts, quality support on the key ones, and the
`quality_engineer` login, in no sales team, on a handful of key, strategic and major accounts
across the teams, so it sees those and nothing else."""

from __future__ import annotations

import datetime as dt

import numpy as np
from simple_history.utils import bulk_create_with_history

from openkam.accounts.models import Account, AccountTeamMember, AccountTeamRole, Tier
from openkam.team.models import User

ENGINEER_SEATS = 6
NOTES: dict[str, str] = {
    AccountTeamRole.SPONSOR: "年度高层互访，重大商务决策",
    AccountTeamRole.RND: "新品联合开发与技术交流",
    AccountTeamRole.SERVICE: "安装调试与售后响应",
    AccountTeamRole.QUALITY: "来料检验、质量投诉与 8D 整改",
}


def write_account_teams(*, seed: int, today: dt.date) -> int:
    """Seats on the account teams of the strategic and key accounts; returns how many."""
    rng = np.random.default_rng([seed, 14_002])
    people = dict(
        User.objects.filter(
            username__in=(
                "executive",
                "support_rnd",
                "support_service",
                "support_quality",
                "quality_engineer",
            )
        ).values_list("username", "pk")
    )
    accounts: list[tuple[int, str, int | None, int | None]] = list(
        Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY))
        .order_by("pk")
        .values_list("pk", "tier", "owner_id", "team_id")
    )
    seats: list[AccountTeamMember] = []

    def seat(account_id: int, owner_id: int | None, username: str, role: str) -> None:
        user_id = people.get(username)
        if user_id is not None and user_id != owner_id:
            seats.append(
                AccountTeamMember(
                    account_id=account_id, user_id=user_id, role=role, note=NOTES.get(role, "")
                )
            )

    for account_id, tier, owner_id, _team in accounts:
        if tier == Tier.STRATEGIC:
            seat(account_id, owner_id, "executive", AccountTeamRole.SPONSOR)
            seat(account_id, owner_id, "support_rnd", AccountTeamRole.RND)
            seat(account_id, owner_id, "support_service", AccountTeamRole.SERVICE)
        else:
            seat(account_id, owner_id, "support_quality", AccountTeamRole.QUALITY)
    engineer_pool: list[tuple[int, str, int | None, int | None]] = list(
        Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY, Tier.MAJOR))
        .order_by("pk")
        .values_list("pk", "tier", "owner_id", "team_id")
    )
    for account_id, owner_id in _spread_over_teams(engineer_pool, rng):
        seat(account_id, owner_id, "quality_engineer", AccountTeamRole.QUALITY)
    bulk_create_with_history(seats, AccountTeamMember, batch_size=2_000)
    return len(seats)


def _spread_over_teams(
    accounts: list[tuple[int, str, int | None, int | None]], rng: np.random.Generator
) -> list[tuple[int, int | None]]:
    """A few accounts for the quality engineer, one team after another."""
    by_team: dict[int | None, list[tuple[int, int | None]]] = {}
    for account_id, _tier, owner_id, team_id in accounts:
        by_team.setdefault(team_id, []).append((account_id, owner_id))
    chosen: list[tuple[int, int | None]] = []
    teams = sorted(by_team, key=lambda key: (key is None, key or 0))
    while len(chosen) < ENGINEER_SEATS and any(by_team[team] for team in teams):
        for team in teams:
            if by_team[team] and len(chosen) < ENGINEER_SEATS:
                pick = int(rng.integers(len(by_team[team])))
                chosen.append(by_team[team].pop(pick))
    return chosen
