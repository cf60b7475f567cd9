"""The demo's account teams: every strategic account has the executive as its sponsor and R&D
and service support; the quality engineer, in no sales team, logs in and sees exactly the
accounts whose team seats them, read only (issue 14)."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account, AccountTeamMember, Tier
from openkam.accounts.selectors import accounts_editable_by, accounts_visible_to
from openkam.demo.account_teams import ENGINEER_SEATS
from openkam.demo.services import DemoReport
from openkam.team.models import Role, TeamMembership, User

pytestmark = pytest.mark.django_db


def test_every_strategic_account_has_a_sponsor_and_support(demo: DemoReport) -> None:
    strategic = set(Account.objects.filter(tier=Tier.STRATEGIC).values_list("pk", flat=True))
    assert strategic
    for role in ("sponsor", "rnd", "service"):
        seated = set(
            AccountTeamMember.objects.filter(role=role).values_list("account_id", flat=True)
        )
        assert seated == strategic, role
    sponsors = AccountTeamMember.objects.filter(role="sponsor").values_list("user__role", flat=True)
    assert set(sponsors) == {Role.EXECUTIVE}
    assert AccountTeamMember.history.filter(history_type="+").count() == (
        AccountTeamMember.objects.count()
    )


def test_the_quality_engineer_sees_only_their_accounts_and_writes_none(demo: DemoReport) -> None:
    engineer = User.objects.get(username="quality_engineer")
    assert engineer.role == Role.VIEWER
    assert not TeamMembership.objects.filter(user=engineer).exists()
    assert "quality_engineer" in {login.username for login in demo.logins}
    seats = set(
        AccountTeamMember.objects.filter(user=engineer).values_list("account_id", flat=True)
    )
    assert len(seats) == ENGINEER_SEATS
    assert len(set(Account.objects.filter(pk__in=seats).values_list("team_id", flat=True))) > 1
    assert set(accounts_visible_to(engineer).values_list("pk", flat=True)) == seats
    assert not accounts_editable_by(engineer).exists()
