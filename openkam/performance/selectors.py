"""Who sees which targets, forecasts and figures (issue 14).

Executives and analysts see everything. A director sees the targets of the teams they see
(their KAMs' included). A KAM or a viewer sees the company's and their teams' totals and, for
a KAM, their own targets; never a colleague's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, teams_visible_to
from openkam.common.errors import NotFound, ValidationError
from openkam.performance.models import Forecast, Level, Target
from openkam.performance.periods import Period
from openkam.team.models import Role, Team, TeamMembership, User


def targets_visible_to(user: User) -> QuerySet[Target]:
    if not user.is_authenticated or not user.is_active:
        return Target.objects.none()
    if user.sees_all_accounts:
        return Target.objects.all()
    teams = teams_visible_to(user).values("pk")
    totals = Q(level=Level.COMPANY) | Q(level=Level.TEAM, team_id__in=teams)
    if user.role == Role.DIRECTOR:
        return Target.objects.filter(totals | Q(team_id__in=teams))
    return Target.objects.filter(totals | Q(kam=user))


def target_for(user: User, pk: int) -> Target:
    found = targets_visible_to(user).select_related("team", "kam", "account").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No target with this ID."))
    return found


def forecasts_visible_to(user: User) -> QuerySet[Forecast]:
    if not user.is_authenticated or not user.is_active:
        return Forecast.objects.none()
    if user.sees_all_accounts:
        return Forecast.objects.all()
    if user.role == Role.DIRECTOR:
        return Forecast.objects.filter(account__in=accounts_visible_to(user))
    return Forecast.objects.filter(kam=user)


def kams_visible_to(user: User) -> QuerySet[User]:
    """The KAMs whose own figures the user may read: everyone's for executives and analysts,
    the members of a director's teams, and a KAM only themselves."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.sees_all_accounts:
        return User.objects.filter(role=Role.KAM)
    if user.role == Role.DIRECTOR:
        members = TeamMembership.objects.filter(team__in=teams_visible_to(user)).values("user_id")
        return User.objects.filter(pk__in=members)
    return User.objects.filter(pk=user.pk)


def team_kams(team: Team) -> QuerySet[User]:
    """The team's KAMs (members in the KAM role), by name."""
    return team.members.filter(
        teammembership__team_role=TeamMembership.TeamRole.KAM, role=Role.KAM
    ).order_by("display_name", "username")


@dataclass(frozen=True)
class Scope:
    """What a KPI figure is about: the company, a team or a KAM, with its accounts."""

    kind: str  # "company", "team", "kam"
    label: str
    accounts: QuerySet[Account]
    team: Team | None = None
    kam: User | None = None


def scope_for(user: User, text: str) -> Scope:
    """`company`, `team:ID` or `kam:ID` as the user may read it, or NotFound: the company's
    figures for executives and analysts, a team's for those who see the team, a KAM's for the
    KAM themselves and the directors and executives above them."""
    kind, _sep, ident = text.partition(":")
    if kind == "company" and not ident:
        if user.is_active and user.sees_all_accounts:
            return Scope("company", _("Company"), Account.objects.all())
        raise NotFound(_("You may not read the company's figures."))
    if kind in ("team", "kam") and ident.isdigit():
        if kind == "team":
            team = teams_visible_to(user).filter(pk=int(ident)).first()
            if team is not None:
                return Scope("team", team.name, Account.objects.filter(team=team), team=team)
        else:
            kam = kams_visible_to(user).filter(pk=int(ident)).first()
            if kam is not None:
                return Scope("kam", str(kam), Account.objects.filter(owner=kam), kam=kam)
        raise NotFound(_("Nothing to show for this scope."))
    raise ValidationError({"scope": _("Give company, team:ID or kam:ID.")})


def scope_target(scope: Scope, metric: str, period: Period) -> Decimal | None:
    """The scope's target for the metric over the period (the months' sum), or None."""
    rows = Target.objects.filter(year=period.year, metric=metric, level=scope.kind)
    if scope.kind == "team":
        rows = rows.filter(team=scope.team)
    elif scope.kind == "kam":
        rows = rows.filter(kam=scope.kam)
    months = rows.values_list("months", flat=True).first()
    if not months:
        return None
    return sum(
        (Decimal(value) for value in months[period.start.month - 1 : period.end.month]),
        Decimal("0"),
    )


# Refusals the API router words (kept here so that they live in this app's catalogue).
def not_a_member() -> str:
    return _("Not a member of this team.")


def only_team_targets_split() -> str:
    return _("Only a team's target is split to KAMs.")


def period_missing() -> str:
    return _("Give the period.")
