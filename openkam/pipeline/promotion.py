"""The investment-promotion mode's own reads and writes: a target enterprise's profile (its
chain and position, shares, expansion, the policy support it asks for), the suppliers it can
bring (ChainLink), a project's terms, the promotion scorecard, and the projects by chain,
stage and officer.

Writes check the account's writers (writable_account_for: 404 for what the user does not
see, 403 for a role that reads only) and save in one transaction; bad input raises a
ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, writable_account_for
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.interactions.models import Status
from openkam.pipeline.mode import stages
from openkam.pipeline.models import (
    ChainLink,
    ChainPosition,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    PromotionWeight,
    TargetProfile,
    TechnologyLevel,
)
from openkam.pipeline.selectors import probabilities
from openkam.relationships.models import Contact
from openkam.team.models import Role, User

PROFILE_FIELDS = frozenset(
    {
        "chain_id",
        "position",
        "market_share",
        "patent_share",
        "technology_level",
        "planned_expansion",
        "policy_asks",
    }
)
TERMS_FIELDS = frozenset(
    {
        "land_mu",
        "jobs",
        "annual_output",
        "annual_tax",
        "policy_land",
        "policy_tax",
        "policy_subsidies",
        "policy_talent",
        "competing_cities",
        "decision_date",
        "park_fit",
    }
)


def _unknown(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(changes) - allowed:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _share(changes: dict[str, Any], name: str) -> None:
    value = changes.get(name)
    if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(100):
        raise ValidationError({name: _("Enter a percentage from 0 to 100.")})


@transaction.atomic
def target_profile_set(*, user: User, account_id: int, changes: dict[str, Any]) -> TargetProfile:
    """Create or change the target enterprise's profile."""
    account = writable_account_for(user, account_id)
    _unknown(changes, PROFILE_FIELDS)
    chain_id = changes.get("chain_id")
    if chain_id is not None and not IndustryChain.objects.filter(pk=chain_id).exists():
        raise ValidationError({"chain_id": _("No industry chain with this ID.")})
    if changes.get("position") and changes["position"] not in ChainPosition.values:
        raise ValidationError({"position": _("Choose a position in the chain.")})
    level = changes.get("technology_level")
    if level is not None and level not in TechnologyLevel.values:
        raise ValidationError({"technology_level": _("Choose a technology level from 1 to 5.")})
    for name in ("market_share", "patent_share"):
        _share(changes, name)
    profile, _created = TargetProfile.objects.get_or_create(account=account)
    for name, value in changes.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def chain_link_add(
    *, user: User, anchor_id: int, supplier_id: int, supplies: str = ""
) -> ChainLink:
    """`supplier` supplies `anchor`: a target the anchor brings along. Both must be accounts
    the user sees; the anchor one they write to."""
    anchor = writable_account_for(user, anchor_id)
    if supplier_id == anchor.pk:
        raise ValidationError({"supplier_id": _("A target enterprise cannot supply itself.")})
    if not accounts_visible_to(user).filter(pk=supplier_id).exists():
        raise ValidationError({"supplier_id": _("Choose a target enterprise you see.")})
    if ChainLink.objects.filter(anchor=anchor, supplier_id=supplier_id).exists():
        raise ValidationError({"supplier_id": _("This supplier is already linked.")})
    return ChainLink.objects.create(anchor=anchor, supplier_id=supplier_id, supplies=supplies)


@transaction.atomic
def chain_link_remove(*, user: User, link: ChainLink) -> None:
    writable_account_for(user, link.anchor_id)
    link.delete()


@transaction.atomic
def project_terms_set(
    *, user: User, opportunity: Opportunity, changes: dict[str, Any]
) -> ProjectTerms:
    """Create or change an investment project's terms (land, jobs, output, tax, policy)."""
    writable_account_for(user, opportunity.account_id)
    _unknown(changes, TERMS_FIELDS)
    for name in ("land_mu", "annual_output", "annual_tax"):
        value = changes.get(name)
        if value is not None and Decimal(value) < 0:
            raise ValidationError({name: _("The value cannot be negative.")})
    land = changes.get("land_mu")
    if land is not None and Decimal(land) == 0:
        raise ValidationError(
            {"land_mu": _("Enter the land in mu, above zero, or leave it empty.")}
        )
    fit = changes.get("park_fit")
    if fit is not None and not 1 <= int(fit) <= 5:
        raise ValidationError({"park_fit": _("Enter a score from 1 to 5.")})
    terms, _created = ProjectTerms.objects.get_or_create(opportunity=opportunity)
    for name, value in changes.items():
        setattr(terms, name, value.strip() if isinstance(value, str) else value)
    terms.full_clean()
    terms.save()
    return terms


# The promotion scorecard: each criterion scored 0-100, weighted (the weights add up to 100).
@dataclass(frozen=True)
class Criterion:
    key: str
    label: Any
    weight: int


CRITERIA = (
    Criterion("investment", gettext_lazy("Investment size"), 30),
    Criterion("tax_per_mu", gettext_lazy("Tax per mu"), 25),
    Criterion("leverage", gettext_lazy("Chain leverage (suppliers it brings)"), 20),
    Criterion("technology", gettext_lazy("Technology level"), 15),
    Criterion("park_fit", gettext_lazy("Fit with the park's plan"), 10),
)
# Full marks at: 1,000,000,000 (10 亿) invested, 500,000 (50 万) tax per mu a year, 5 suppliers.
FULL_INVESTMENT = Decimal(1_000_000_000)
FULL_TAX_PER_MU = Decimal(500_000)
FULL_LEVERAGE = 5


@dataclass(frozen=True)
class ScoreLine:
    key: str
    label: str
    weight: int
    score: float | None  # 0-100; None when the fact is not recorded


@dataclass(frozen=True)
class ProjectScore:
    lines: list[ScoreLine]
    total: float  # weighted over the criteria scored, 0-100
    scored: int


def _capped(value: Decimal | float, full: Decimal | float) -> float:
    return round(min(float(value) / float(full), 1.0) * 100, 1)


# Who sets the weights: marketing's analysts prepare the scorecard, the leadership decides.
WEIGHT_EDITORS = frozenset({Role.EXECUTIVE, Role.ANALYST})


def promotion_weights() -> dict[str, int]:
    """Each criterion's weight in percent: the stored ones over the defaults."""
    stored = dict(PromotionWeight.objects.values_list("key", "weight"))
    return {c.key: stored.get(c.key, c.weight) for c in CRITERIA}


def may_set_weights(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role in WEIGHT_EDITORS))


def _weight(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or int(text) > 100:
        return None
    return int(text)


@transaction.atomic
def promotion_weights_set(*, user: User, weights: dict[str, Any]) -> dict[str, int]:
    """Set every criterion's weight (whole percents, 0-100, adding up to 100); the history
    keeps each change and who made it. Scores are computed when read, so every page and
    the API score with the new weights from now on."""
    if not may_set_weights(user):
        raise PermissionDenied(_("Only an analyst or an executive sets the scorecard weights."))
    if unknown := set(weights) - {c.key for c in CRITERIA}:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("Unknown fields: %(fields)s")
                % {"fields": ", ".join(sorted(unknown))}
            }
        )
    parsed = {c.key: _weight(weights.get(c.key)) for c in CRITERIA}
    errors = {
        key: _("Enter a whole percentage from 0 to 100.")
        for key, value in parsed.items()
        if value is None
    }
    if errors:
        raise ValidationError(errors)
    total = sum(value or 0 for value in parsed.values())
    if total != 100:
        message = _("The weights add up to %(total)s %%; they must add up to 100 %%.")
        raise ValidationError({NON_FIELD_ERRORS: message % {"total": total}})
    current = promotion_weights()
    stored = {row.key: row for row in PromotionWeight.objects.select_for_update()}
    for key, value in parsed.items():
        row = stored.get(key) or PromotionWeight(key=key, weight=current[key])
        if row.pk is not None and row.weight == value:
            continue
        row.weight = value  # type: ignore[assignment]
        row._history_user = user  # type: ignore[attr-defined]
        row.save()
    return promotion_weights()


def project_score(
    opportunity: Opportunity,
    terms: ProjectTerms | None,
    profile: TargetProfile | None,
    suppliers: int,
    weights: dict[str, int] | None = None,
) -> ProjectScore:
    """The promotion scorecard of one project: investment size (the amount), tax per mu,
    chain leverage (the suppliers its target brings), technology level, fit with the park's
    plan; the total weighs the criteria that are scored, with the company's weights."""
    weights = weights if weights is not None else promotion_weights()
    tax_per_mu = terms.tax_per_mu if terms else None
    level = profile.technology_level if profile else None
    fit = terms.park_fit if terms else None
    scores = {
        "investment": _capped(opportunity.amount, FULL_INVESTMENT),
        "tax_per_mu": _capped(tax_per_mu, FULL_TAX_PER_MU) if tax_per_mu is not None else None,
        "leverage": _capped(suppliers, FULL_LEVERAGE),
        "technology": (level - 1) * 25.0 if level else None,
        "park_fit": (fit - 1) * 25.0 if fit else None,
    }
    lines = [ScoreLine(c.key, str(c.label), weights[c.key], scores[c.key]) for c in CRITERIA]
    weighed = [(line.score, line.weight) for line in lines if line.score is not None]
    weighing = sum(weight for _score, weight in weighed)
    total = sum(score * weight for score, weight in weighed) / weighing if weighing else 0.0
    return ProjectScore(lines=lines, total=round(total, 1), scored=len(weighed))


def suppliers_brought(account_ids: list[int]) -> dict[int, int]:
    return dict(
        ChainLink.objects.filter(anchor_id__in=account_ids)
        .values("anchor_id")
        .annotate(n=Count("pk"))
        .values_list("anchor_id", "n")
    )


@dataclass(frozen=True)
class ChainRow:
    chain: str
    counts: list[int]  # per stage of the mode, in order
    investment: Decimal  # planned, open and won projects (not lost)
    total: int


@dataclass(frozen=True)
class OfficerRow:
    officer: str
    open: int
    won: int
    investment: Decimal


@dataclass(frozen=True)
class LeaderRow:
    account: Account
    chain: str
    suppliers: list[ChainLink]


@dataclass(frozen=True)
class PromotionFigures:
    stages: list[tuple[str, str]]
    by_chain: list[ChainRow]
    by_stage: list[int]
    by_officer: list[OfficerRow]
    leaders: list[LeaderRow]
    ranking: list[tuple[Opportunity, ProjectScore]]


def promotion_figures(projects: QuerySet[Opportunity], user: User) -> PromotionFigures:
    """Projects by chain and stage, by officer, the chain leaders with the suppliers they
    bring, and the open projects ranked by the scorecard (a few queries, not one per row)."""
    stage_set = stages()
    order = [stage.value for stage in stage_set.all]
    rows = list(
        projects.order_by()
        .values("account__target_profile__chain__name", "stage")
        .annotate(n=Count("pk"), invested=Sum("amount"))
    )
    chains: dict[str, dict[str, int]] = defaultdict(dict)
    invested: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        chain = row["account__target_profile__chain__name"] or "—"
        chains[chain][row["stage"]] = row["n"]
        if row["stage"] != stage_set.lost:
            invested[chain] += row["invested"] or Decimal(0)
    by_chain = [
        ChainRow(
            chain=name,
            counts=[counts.get(stage, 0) for stage in order],
            investment=invested[name],
            total=sum(counts.values()),
        )
        for name, counts in sorted(chains.items(), key=lambda item: (item[0] == "—", item[0]))
    ]
    by_stage = [sum(row.counts[i] for row in by_chain) for i in range(len(order))]
    officers = (
        projects.order_by()
        .values("owner__display_name", "owner__username")
        .annotate(
            open=Count("pk", filter=_in(stage_set.open)),
            won=Count("pk", filter=_in(stage_set.won)),
            invested=Sum("amount", filter=_in((*stage_set.open, *stage_set.won))),
        )
        .order_by("-invested", "owner__username")
    )
    by_officer = [
        OfficerRow(
            officer=row["owner__display_name"] or row["owner__username"],
            open=row["open"],
            won=row["won"],
            investment=row["invested"] or Decimal(0),
        )
        for row in officers
    ]
    leaders = _leaders(user)
    return PromotionFigures(
        stages=stage_set.choices,
        by_chain=by_chain,
        by_stage=by_stage,
        by_officer=by_officer,
        leaders=leaders,
        ranking=_ranking(projects.filter(stage__in=stage_set.open)),
    )


def _in(values: tuple[Any, ...]) -> Any:
    from django.db.models import Q

    return Q(stage__in=values)


def _leaders(user: User) -> list[LeaderRow]:
    profiles = (
        TargetProfile.objects.filter(
            position=ChainPosition.LEADER, account__in=accounts_visible_to(user).values("pk")
        )
        .select_related("account", "chain")
        .order_by("chain__name", "account__legal_name")
    )
    visible = set(accounts_visible_to(user).values_list("pk", flat=True))
    links: dict[int, list[ChainLink]] = defaultdict(list)
    for link in ChainLink.objects.filter(
        anchor_id__in=[profile.account_id for profile in profiles]
    ).select_related("supplier"):
        if link.supplier_id in visible:
            links[link.anchor_id].append(link)
    return [
        LeaderRow(
            account=profile.account,
            chain=profile.chain.name if profile.chain else "—",
            suppliers=links.get(profile.account_id, []),
        )
        for profile in profiles
    ]


def _ranking(open_projects: QuerySet[Opportunity]) -> list[tuple[Opportunity, ProjectScore]]:
    rows = list(open_projects.select_related("account", "owner", "terms"))
    profiles = {
        profile.account_id: profile
        for profile in TargetProfile.objects.filter(account_id__in={r.account_id for r in rows})
    }
    brought = suppliers_brought([row.account_id for row in rows])
    weights = promotion_weights()
    scored = [
        (
            row,
            project_score(
                row,
                getattr(row, "terms", None),
                profiles.get(row.account_id),
                brought.get(row.account_id, 0),
                weights,
            ),
        )
        for row in rows
    ]
    return sorted(scored, key=lambda item: (-item[1].total, item[0].pk))


def terms_or_none(opportunity: Opportunity) -> ProjectTerms | None:
    try:
        return opportunity.terms
    except ProjectTerms.DoesNotExist:
        return None


def profile_or_none(account: Account) -> TargetProfile | None:
    try:
        return account.target_profile
    except TargetProfile.DoesNotExist:
        return None


# The attractiveness x strength matrix of the targets (客户组合矩阵, DOMAIN 2.7, as the
# portfolio draws it): attractiveness is the promotion score of the target's best project
# not lost; strength is how far the office has got with the target: the chance of its most
# advanced project's stage and the share of its decision-makers met in the last year.
MATRIX_CUT = 50.0
STAGE_SHARE = 0.6  # of strength; the rest is the decision-makers met
MET_DAYS = 365


@dataclass(frozen=True)
class QuadrantLabel:
    name: Any
    advice: Any


QUADRANTS = {
    "key_account": QuadrantLabel(
        gettext_lazy("Land it"), gettext_lazy("Attractive and well advanced: close and land it.")
    ),
    "key_development": QuadrantLabel(
        gettext_lazy("Build the relationship"),
        gettext_lazy("Attractive but little advanced: invest leaders' time and visits."),
    ),
    "maintenance": QuadrantLabel(
        gettext_lazy("Keep in touch"),
        gettext_lazy("Well advanced but less attractive: follow up at low cost."),
    ),
    "opportunistic": QuadrantLabel(
        gettext_lazy("Watch"), gettext_lazy("Neither: watch for a change.")
    ),
}


@dataclass(frozen=True)
class TargetPoint:
    account: Account
    project: Opportunity  # its best-scored project not lost
    attractiveness: float  # 0-100
    strength: float  # 0-100
    chance: int  # percent: the stage probability of its most advanced project
    met: float | None  # percent of its active contacts met in the last year; None: no contact
    quadrant: str


@dataclass(frozen=True)
class TargetMatrix:
    points: list[TargetPoint]
    counts: dict[str, int]  # per quadrant, in QUADRANTS' order

    def chart(self) -> dict[str, Any]:
        """What the quadrant scatter of static/js/charts.js draws."""
        return {
            "points": [
                [p.strength, p.attractiveness, p.account.pk, p.quadrant, str(p.account)]
                for p in self.points
            ],
            "x_cut": MATRIX_CUT,
            "y_cut": MATRIX_CUT,
        }


def quadrant_of(attractiveness: float, strength: float) -> str:
    high_value, high_strength = attractiveness >= MATRIX_CUT, strength >= MATRIX_CUT
    if high_value:
        return "key_account" if high_strength else "key_development"
    return "maintenance" if high_strength else "opportunistic"


def target_strength(chance: int, met: float | None) -> float:
    """60 % the stage's chance, 40 % the decision-makers met; the chance alone for a target
    whose contacts are not recorded yet."""
    if met is None:
        return float(chance)
    return round(STAGE_SHARE * chance + (1 - STAGE_SHARE) * met, 1)


def target_matrix(projects: QuerySet[Opportunity], *, today: dt.date) -> TargetMatrix:
    """Every target with a project not lost among `projects` (the user's visible ones), placed
    by attractiveness and strength (a fixed number of queries, not one per target)."""
    rows = list(
        projects.exclude(stage=stages().lost).select_related("account", "terms").order_by("pk")
    )
    ids = sorted({row.account_id for row in rows})
    profiles = {p.account_id: p for p in TargetProfile.objects.filter(account_id__in=ids)}
    brought = suppliers_brought(ids)
    weights, chances = promotion_weights(), probabilities()
    met = _met_share(ids, since=today - dt.timedelta(days=MET_DAYS))
    best: dict[int, tuple[Opportunity, ProjectScore]] = {}
    chance: dict[int, int] = defaultdict(int)
    for row in rows:
        score = project_score(
            row, terms_or_none(row), profiles.get(row.account_id),
            brought.get(row.account_id, 0), weights,
        )  # fmt: skip
        if row.account_id not in best or score.total > best[row.account_id][1].total:
            best[row.account_id] = (row, score)
        chance[row.account_id] = max(chance[row.account_id], chances.get(row.stage, 0))
    points = []
    for account_id, (project, score) in best.items():
        strength = target_strength(chance[account_id], met.get(account_id))
        points.append(
            TargetPoint(
                account=project.account,
                project=project,
                attractiveness=score.total,
                strength=strength,
                chance=chance[account_id],
                met=met.get(account_id),
                quadrant=quadrant_of(score.total, strength),
            )
        )
    points.sort(key=lambda p: (-p.attractiveness, -p.strength, p.account.pk))
    counts = {code: sum(p.quadrant == code for p in points) for code in QUADRANTS}
    return TargetMatrix(points=points, counts=counts)


def _met_share(account_ids: list[int], *, since: dt.date) -> dict[int, float]:
    """Per account with active contacts: the percent of them in a held interaction since."""
    contacts = Contact.objects.filter(account_id__in=account_ids, is_active=True).order_by()
    totals = dict(
        contacts.values("account_id").annotate(n=Count("pk")).values_list("account_id", "n")
    )
    met = dict(
        contacts.filter(interactions__status=Status.DONE, interactions__starts_at__date__gte=since)
        .values("account_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("account_id", "n")
    )
    return {pk: round(100 * met.get(pk, 0) / total, 1) for pk, total in totals.items() if total}
