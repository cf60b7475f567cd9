"""The appraisal form (业务人员考核表) of a KAM for a period (issue 14).

Scoring, written on the form too:
- each KPI's attainment is 1 + (actual − target) ÷ |target| (its actual ÷ its target when
  the target is positive; a growth target may be negative: a fall allowed), floored at 0 and
  capped at 120 % (ATTAINMENT_CAP); its score is 100 × that attainment (linear: 90 % of
  target scores 90);
- the KPI score is the weighted mean of the scored KPIs: a KPI without data (satisfaction
  before surveys) or without a target (sales before the KAM's target is set) drops out and
  its weight is shared by the others in proportion;
- the manager rates four qualities from 1 to 5; the overall score is 80 % KPI score and
  20 % the ratings' mean scaled to 100 (RATING_SHARE).

Weights and KPI targets: the team's rows when the team has any, else the company's rows, else
DEFAULT_WEIGHTS. An executive sets the company's and any team's; a team's director the team's.

Who reads a form: executives, the director of the KAM's team and the KAM. The manager (that
director or an executive) opens it and rates; the KAM comments; both sign (draft -> signed by
one -> closed). Changing the form after one side signed withdraws that signature; a closed
form does not change. Every change is kept (simple_history), with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.performance import kpis
from openkam.performance.models import (
    Appraisal,
    AppraisalStatus,
    KpiKey,
    KpiWeight,
    Metric,
)
from openkam.performance.periods import Period, period_parse
from openkam.performance.selectors import Scope, scope_target
from openkam.team.models import Role, Team, TeamMembership, User

ATTAINMENT_CAP = Decimal("1.2")
# KPIs whose target may be negative: a fall in sales allowed (kpis.attained scores it).
SIGNED_TARGETS = frozenset({KpiKey.GROWTH})
RATING_SHARE = Decimal("0.2")
ONE_PLACE = Decimal("0.1")

# (weight in %, target) per KPI; rates as fractions, turnover in times, satisfaction out of 5.
DEFAULT_WEIGHTS: dict[str, tuple[Decimal, Decimal | None]] = {
    KpiKey.SALES: (Decimal("30"), None),
    KpiKey.MARGIN_RATE: (Decimal("15"), Decimal("0.25")),
    KpiKey.RECEIVABLES_TURNOVER: (Decimal("10"), Decimal("6")),
    KpiKey.GROWTH: (Decimal("10"), Decimal("0.10")),
    KpiKey.FORECAST_ACCURACY: (Decimal("5"), Decimal("0.85")),
    KpiKey.SATISFACTION: (Decimal("5"), Decimal("4")),
    KpiKey.SHARE_OF_WALLET: (Decimal("5"), Decimal("0.30")),
    KpiKey.NEW_CUSTOMER_RATE: (Decimal("5"), Decimal("0.10")),
    KpiKey.RETENTION_RATE: (Decimal("10"), Decimal("0.90")),
    KpiKey.ON_TIME_RATE: (Decimal("5"), Decimal("0.95")),
}

RATINGS: dict[str, Promise] = {
    "attitude": gettext_lazy("Work attitude and diligence"),
    "customer_knowledge": gettext_lazy("Knowledge of the customers"),
    "teamwork": gettext_lazy("Teamwork across functions"),
    "plan_execution": gettext_lazy("Account plans carried out"),
}


# Why a version of the form was saved: a key in the history, read in the reader's language.
REASONS: dict[str, Promise] = {
    "scored": gettext_lazy("Scored from the KPIs"),
    "changed": gettext_lazy("Changed"),
    "signed_by_kam": gettext_lazy("Signed by the KAM"),
    "signed_by_manager": gettext_lazy("Signed by the manager"),
    "kam_changed_after_signature": gettext_lazy(
        "Changed by the KAM: the manager's signature is withdrawn"
    ),
    "manager_changed_after_signature": gettext_lazy(
        "Changed by the manager: the KAM's signature is withdrawn"
    ),
}


def _save(appraisal: Appraisal, *, user: User, reason: str) -> None:
    """Save a version of the form with who changed it and why (its history row)."""
    appraisal._history_user = user  # type: ignore[attr-defined]
    appraisal._change_reason = reason  # type: ignore[attr-defined]
    appraisal.save()


@dataclass(frozen=True)
class Line:
    kpi: str
    weight: Decimal
    target: Decimal | None
    actual: Decimal | None
    attainment: Decimal | None
    score: Decimal | None


def _dec(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def score_line(kpi: str, weight: Decimal, target: Decimal | None, actual: Decimal | None) -> Line:
    """One KPI's attainment (kpis.attained: 1 + (actual − target) ÷ |target|, actual ÷ target
    for a positive target), floored at 0 and capped, and its score; None without data or
    target."""
    rate = kpis.attained(actual, target)
    if rate is None:
        return Line(kpi, weight, target, actual, None, None)
    attainment = min(max(Decimal(str(rate)), Decimal("0")), ATTAINMENT_CAP)
    score = (attainment * 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return Line(kpi, weight, target, actual, attainment, score)


def weighted_score(lines: list[Line]) -> Decimal:
    """The weighted mean of the scored lines (unscored lines' weight shared out)."""
    scored = [line for line in lines if line.score is not None and line.weight > 0]
    total = sum((line.weight for line in scored), Decimal("0"))
    if not total:
        return Decimal("0.0")
    mean = sum((line.weight * line.score for line in scored), Decimal("0")) / total  # type: ignore[operator]
    return mean.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def overall_score(kpi_score: Decimal, ratings: Mapping[str, int]) -> Decimal:
    """80 % the KPI score, 20 % the ratings' mean (1-5) scaled to 100; the KPI score alone
    while the manager has not rated."""
    if not ratings:
        return kpi_score
    mean = Decimal(sum(ratings.values())) / len(ratings) / 5 * 100
    value = kpi_score * (1 - RATING_SHARE) + mean * RATING_SHARE
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def weights_for(team: Team | None) -> dict[str, tuple[Decimal, Decimal | None]]:
    """The weights and targets in force for a team's KAMs (team, else company, else default)."""
    rows = list(KpiWeight.objects.filter(team=team)) if team is not None else []
    if not rows:
        rows = list(KpiWeight.objects.filter(team__isnull=True))
    if not rows:
        return dict(DEFAULT_WEIGHTS)
    found = {row.kpi: (row.weight, row.target) for row in rows}
    return {key: found.get(key, (Decimal("0"), None)) for key in DEFAULT_WEIGHTS}


def score_kam(kam: User, team: Team, period: Period) -> list[Line]:
    """The KAM's ten KPIs on their own accounts, scored with the team's weights; the sales
    target is the KAM's sales target over the period's months."""
    accounts = Account.objects.filter(owner=kam)
    figures = {kpi.key: kpi.value for kpi in kpis.compute(accounts, period)}
    sales_target = scope_target(Scope("kam", str(kam), accounts, kam=kam), Metric.SALES, period)
    lines = []
    for key, (weight, target) in weights_for(team).items():
        if key == KpiKey.SALES:
            target = sales_target
        lines.append(score_line(key, weight, target, _dec(figures.get(key))))
    return lines


def _line_json(line: Line) -> dict[str, str | None]:
    return {
        "kpi": line.kpi,
        "weight": str(line.weight),
        "target": None if line.target is None else str(line.target),
        "actual": None if line.actual is None else str(line.actual),
        "attainment": None if line.attainment is None else str(line.attainment),
        "score": None if line.score is None else str(line.score),
    }


# Who may do what --------------------------------------------------------------------------


def _executive(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.EXECUTIVE)


def appraisals_visible_to(user: User) -> QuerySet[Appraisal]:
    """Executives all; a director the forms of the teams they direct; a KAM their own."""
    if not user.is_authenticated or not user.is_active:
        return Appraisal.objects.none()
    if _executive(user):
        return Appraisal.objects.all()
    return Appraisal.objects.filter(Q(kam=user) | Q(team__director=user))


def appraisal_for(user: User, pk: int) -> Appraisal:
    found = (
        appraisals_visible_to(user)
        .select_related("kam", "team", "manager", "team__director")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No appraisal with this ID."))
    return found


def is_manager(user: User, appraisal: Appraisal) -> bool:
    return _executive(user) or (user.is_active and appraisal.team.director_id == user.pk)


def weights_may_set(user: User, *, team: Team | None) -> None:
    """An executive sets the company's and any team's weights; a director their team's."""
    if _executive(user):
        return
    if user.is_active and team is not None and team.director_id == user.pk:
        return
    raise PermissionDenied(_("Only an executive or the team's director sets the weights."))


def appraisable_kams(user: User) -> QuerySet[User]:
    """The KAMs whose forms the user opens: all for executives, a director's teams' KAMs."""
    kams = User.objects.filter(role=Role.KAM, is_active=True)
    if _executive(user):
        return kams
    if user.is_active and user.role == Role.DIRECTOR:
        return kams.filter(
            teammembership__team__director=user,
            teammembership__team_role=TeamMembership.TeamRole.KAM,
        ).distinct()
    return kams.none()


def kam_team(kam: User, manager: User | None = None) -> Team | None:
    """The KAM's team (the manager's when the KAM is in several)."""
    teams = Team.objects.filter(
        teammembership__user=kam, teammembership__team_role=TeamMembership.TeamRole.KAM
    ).order_by("pk")
    if manager is not None and not _executive(manager):
        teams = teams.filter(director=manager)
    return teams.first()


# Writes ---------------------------------------------------------------------------------


@transaction.atomic
def weights_set(
    *, user: User, team: Team | None, weights: Mapping[str, tuple[Decimal, Decimal | None]]
) -> list[KpiWeight]:
    """Replace the company's (team None) or a team's weights; they must add up to 100."""
    weights_may_set(user, team=team)
    errors: dict[str, str] = {}
    unknown = sorted(set(weights) - set(KpiKey.values))
    if unknown:
        errors["weights"] = _("Unknown KPI: %s") % ", ".join(unknown)
    for key, (weight, target) in weights.items():
        if weight < 0 or weight > 100:
            errors[key] = _("A weight is between 0 and 100.")
        elif target is not None and target < 0 and key not in SIGNED_TARGETS:
            errors[key] = _("A target cannot be negative.")
    total = sum((weight for weight, _target in weights.values()), Decimal("0"))
    if not errors and total != 100:
        errors["weights"] = _("The weights must add up to 100; they add up to %s.") % total
    if errors:
        raise ValidationError(errors)
    rows = []
    for key, (weight, target) in weights.items():
        row, _created = KpiWeight.objects.update_or_create(
            team=team, kpi=key, defaults={"weight": weight, "target": target}
        )
        rows.append(row)
    KpiWeight.objects.filter(team=team).exclude(kpi__in=list(weights)).delete()
    return rows


@transaction.atomic
def appraisal_open(*, user: User, kam: User, period: str) -> Appraisal:
    """The manager opens the KAM's form for the period, or rescores a draft nobody signed."""
    if not appraisable_kams(user).filter(pk=kam.pk).exists():
        if user.is_active and user.pk == kam.pk:
            raise PermissionDenied(_("Only the KAM's manager opens an appraisal."))
        raise NotFound(_("No key account manager with this ID."))
    span = period_parse(period)
    if span.months == 1:
        raise ValidationError({"period": _("Appraise a year (2026) or a quarter (2026-Q3).")})
    team = kam_team(kam, user)
    if team is None:
        raise ValidationError({"kam": _("This KAM is in no team.")})
    appraisal = Appraisal.objects.select_for_update().filter(kam=kam, period=span.label).first()
    if appraisal is not None and (
        appraisal.status != AppraisalStatus.DRAFT or appraisal.kam_signed_at
    ):
        raise ValidationError({"status": _("A signed appraisal is not rescored.")})
    appraisal = appraisal or Appraisal(kam=kam, period=span.label)
    lines = score_kam(kam, team, span)
    appraisal.team = team
    appraisal.manager = user
    appraisal.lines = [_line_json(line) for line in lines]
    appraisal.kpi_score = weighted_score(lines)
    _save(appraisal, user=user, reason="scored")
    return appraisal


def _ratings(values: Mapping[str, object]) -> dict[str, int]:
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key, value in values.items():
        if key not in RATINGS:
            errors["ratings"] = _("Unknown rating: %s") % key
        elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[key] = _("A rating is a whole number from 1 to 5.")
        else:
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def appraisal_update(
    *,
    user: User,
    appraisal: Appraisal,
    ratings: Mapping[str, object] | None = None,
    manager_comment: str | None = None,
    kam_comment: str | None = None,
) -> Appraisal:
    """The manager rates and comments, the KAM comments. A change withdraws the other side's
    signature (the form they signed is no longer the same); a closed form does not change."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status == AppraisalStatus.CLOSED:
        raise ValidationError({"status": _("This appraisal is closed.")})
    manager = is_manager(user, appraisal)
    own = user.is_active and appraisal.kam_id == user.pk
    if (ratings is not None or manager_comment is not None) and not manager:
        raise PermissionDenied(_("Only the KAM's manager rates the appraisal."))
    if kam_comment is not None and not own:
        raise PermissionDenied(_("Only the KAM writes the KAM's comments."))
    if ratings is not None:
        appraisal.ratings = {**appraisal.ratings, **_ratings(ratings)}
    if manager_comment is not None:
        appraisal.manager_comment = manager_comment.strip()
    if kam_comment is not None:
        appraisal.kam_comment = kam_comment.strip()
    reason = "changed"
    if own and appraisal.manager_signed_at and kam_comment is not None:
        appraisal.manager_signed_at = None
        reason = "kam_changed_after_signature"
    if manager and appraisal.kam_signed_at and (ratings is not None or manager_comment is not None):
        appraisal.kam_signed_at = None
        reason = "manager_changed_after_signature"
    appraisal.status = _status(appraisal)
    _save(appraisal, user=user, reason=reason)
    return appraisal


def _status(appraisal: Appraisal) -> str:
    if appraisal.kam_signed_at and appraisal.manager_signed_at:
        return AppraisalStatus.CLOSED
    if appraisal.kam_signed_at:
        return AppraisalStatus.KAM_SIGNED
    if appraisal.manager_signed_at:
        return AppraisalStatus.MANAGER_SIGNED
    return AppraisalStatus.DRAFT


@transaction.atomic
def appraisal_sign(*, user: User, appraisal: Appraisal) -> Appraisal:
    """The KAM or the manager signs; when both have, the form is closed."""
    appraisal = Appraisal.objects.select_for_update().select_related("team").get(pk=appraisal.pk)
    if appraisal.status == AppraisalStatus.CLOSED:
        raise ValidationError({"status": _("This appraisal is closed.")})
    now = timezone.now()
    if user.is_active and appraisal.kam_id == user.pk:
        if appraisal.kam_signed_at:
            raise ValidationError({"status": _("You have signed this appraisal already.")})
        appraisal.kam_signed_at = now
        reason = "signed_by_kam"
    elif is_manager(user, appraisal):
        if appraisal.manager_signed_at:
            raise ValidationError({"status": _("You have signed this appraisal already.")})
        if not appraisal.ratings:
            raise ValidationError({"ratings": _("Rate the KAM before signing.")})
        appraisal.manager_signed_at = now
        appraisal.manager = user
        reason = "signed_by_manager"
    else:
        raise PermissionDenied(_("Only the KAM and their manager sign the appraisal."))
    appraisal.status = _status(appraisal)
    _save(appraisal, user=user, reason=reason)
    return appraisal
