"""The editable scorecard of one account (DOMAIN §2.6, §2.7): who scored what, and where the
account then sits on attractiveness, relative strength and the portfolio matrix.

The refresh scores every account at once (portfolio.services); a user editing one score must
see the effect at once, without a refresh. The same pure functions do both
(openkam.analytics.scorecard and quadrants), fed the same way: attractiveness from the scores
given, relative strength from the scores given and, where a strength criterion has no score,
from the facts the refresh measures (share of wallet, relationship stage, years as supplier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, RelationshipStage
from openkam.analytics import quadrants
from openkam.analytics.scorecard import (
    SCORE_MAX,
    SCORE_MIN,
    Criterion,
    scale_to_score,
    score_accounts,
)
from openkam.portfolio import hooks, readers, services
from openkam.portfolio.models import (
    AccountScore,
    AccountSnapshot,
    DashboardCache,
    MatrixCut,
    PortfolioSettings,
    ScoringCriterion,
)
from openkam.portfolio.selectors import latest_run
from openkam.portfolio.services import STAGE_SCORE
from openkam.team.models import User

# The refresh places an account on a scorecard once 30% of its weight is scored.
MIN_COVERAGE = 0.3
# Facts turned into strength scores where nobody scored the criterion (as the refresh does).
SHARE_OF_WALLET_BREAKS = (0.1, 0.25, 0.4, 0.6)
YEARS_AS_SUPPLIER_BREAKS = (1.0, 3.0, 5.0, 10.0)
# Snapshots re-scored per committed transaction (rescore_latest_run).
RESCORE_BATCH = 10_000


@dataclass(frozen=True)
class CriterionRow:
    criterion: ScoringCriterion
    score: AccountScore | None
    measured: float | None  # the strength score the refresh measures when nobody scored it

    @property
    def effective(self) -> float | None:
        if self.score is not None:
            return float(self.score.score)
        return self.measured


@dataclass(frozen=True)
class ScorecardPosition:
    attractiveness: float | None  # 0-100, None below the minimum coverage
    attractiveness_coverage: float
    strength: float | None
    strength_coverage: float
    quadrant: str  # portfolio-matrix code, "" when an axis is missing


@dataclass(frozen=True)
class Scorecard:
    account: Account
    attractiveness: list[CriterionRow]
    strength: list[CriterionRow]
    position: ScorecardPosition
    snapshot_position: ScorecardPosition | None  # what the latest refresh stored

    @property
    def sections(self) -> list[tuple[str, list[CriterionRow]]]:
        return [
            (str(ScoringCriterion.Scorecard.ATTRACTIVENESS.label), self.attractiveness),
            (str(ScoringCriterion.Scorecard.STRENGTH.label), self.strength),
        ]

    @property
    def scored(self) -> int:
        return sum(row.score is not None for row in self.attractiveness + self.strength)

    @property
    def total(self) -> int:
        return len(self.attractiveness) + len(self.strength)


def _weighted(rows: list[CriterionRow]) -> tuple[float | None, float]:
    if not rows:
        return None, 0.0
    criteria = tuple(
        Criterion(row.criterion.key, row.criterion.key, float(row.criterion.weight)) for row in rows
    )
    values = [np.nan if row.effective is None else row.effective for row in rows]
    if sum(criterion.weight for criterion in criteria) <= 0:
        return None, 0.0
    result = score_accounts([values], criteria, min_coverage=MIN_COVERAGE)
    score = float(result.score[0])
    return (None if np.isnan(score) else round(score, 1)), float(result.coverage[0])


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _measured_strength(
    account: Account, snapshot: AccountSnapshot | None, today: dt.date
) -> dict[str, float]:
    measured: dict[str, float] = {}
    if snapshot is not None and snapshot.share_of_wallet is not None:
        measured["share_of_wallet"] = float(
            scale_to_score([snapshot.share_of_wallet], SHARE_OF_WALLET_BREAKS)[0]
        )
    if account.relationship_stage in RelationshipStage.values:
        measured["relationship_stage"] = STAGE_SCORE[RelationshipStage(account.relationship_stage)]
    if account.customer_since is not None:
        years = (today - account.customer_since).days / 365.25
        measured["years_as_supplier"] = float(scale_to_score([years], YEARS_AS_SUPPLIER_BREAKS)[0])
    return measured


def _cuts(snapshot: AccountSnapshot | None) -> tuple[float, float]:
    """The portfolio matrix's cut-offs of the refresh that made the snapshot (where it cut,
    the median's value when it cut at the median), else today's fixed ones."""
    kept = (snapshot.run.models_fitted or {}).get("matrix_cuts", {}) if snapshot else {}
    if isinstance(kept, dict) and None not in (kept.get("portfolio") or [None]):
        strength_cut, attractiveness_cut = kept["portfolio"]
        return float(strength_cut), float(attractiveness_cut)
    parameters = snapshot.run.parameters if snapshot is not None else {}
    if "portfolio_strength_cut" in parameters and "portfolio_attractiveness_cut" in parameters:
        return (
            float(parameters["portfolio_strength_cut"]),
            float(parameters["portfolio_attractiveness_cut"]),
        )
    config = PortfolioSettings.current()
    return float(config.portfolio_strength_cut), float(config.portfolio_attractiveness_cut)


def position_of(
    attractiveness: list[CriterionRow],
    strength: list[CriterionRow],
    *,
    snapshot: AccountSnapshot | None,
) -> ScorecardPosition:
    attractive, attractive_coverage = _weighted(attractiveness)
    strong, strong_coverage = _weighted(strength)
    quadrant = ""
    if attractive is not None and strong is not None:
        cuts = _cuts(snapshot)
        result = quadrants.classify(
            quadrants.PORTFOLIO, [strong], [attractive], x_cut=cuts[0], y_cut=cuts[1]
        )
        quadrant = str(result.code[0])
    return ScorecardPosition(attractive, attractive_coverage, strong, strong_coverage, quadrant)


def _latest_snapshot(account: Account) -> AccountSnapshot | None:
    return (
        AccountSnapshot.objects.filter(account_id=account.pk)
        .select_related("run")
        .order_by("-as_of")
        .first()
    )


def account_scorecard(account: Account, *, today: dt.date | None = None) -> Scorecard:
    """Every active criterion with the account's score and who gave it, and the position they
    give: three queries (criteria, scores with who gave them, the latest snapshot with its run)."""
    return scorecard_of(account, _latest_snapshot(account), today=today, who_scored=True)


def scorecard_of(
    account: Account,
    snapshot: AccountSnapshot | None,
    *,
    today: dt.date | None = None,
    who_scored: bool = True,
) -> Scorecard:
    """The account's scorecard on a snapshot already read (the latest: a page that has read it
    passes it instead of reading it again). Without `who_scored` the scores are joined to the
    criteria in one query and carry no scorer (a page that does not show who scored)."""
    today = today or timezone.localdate()
    measured = _measured_strength(account, snapshot, today)
    rows: dict[str, list[CriterionRow]] = {kind: [] for kind in ScoringCriterion.Scorecard.values}
    for criterion, score in _criteria_with_scores(account, who_scored=who_scored):
        is_strength = criterion.scorecard == ScoringCriterion.Scorecard.STRENGTH
        rows[criterion.scorecard].append(
            CriterionRow(
                criterion=criterion,
                score=score,
                measured=measured.get(criterion.key) if is_strength else None,
            )
        )
    attractiveness = rows[ScoringCriterion.Scorecard.ATTRACTIVENESS]
    strength = rows[ScoringCriterion.Scorecard.STRENGTH]
    return Scorecard(
        account=account,
        attractiveness=attractiveness,
        strength=strength,
        position=position_of(attractiveness, strength, snapshot=snapshot),
        snapshot_position=_stored_position(snapshot),
    )


def _criteria_with_scores(
    account: Account, *, who_scored: bool
) -> list[tuple[ScoringCriterion, AccountScore | None]]:
    """The active criteria in scorecard order, each with the account's score (or None)."""
    criteria = ScoringCriterion.objects.filter(is_active=True).order_by("scorecard", "position")
    if who_scored:
        scores = {
            score.criterion_id: score
            for score in AccountScore.objects.filter(account_id=account.pk).select_related(
                "scored_by"
            )
        }
        return [(criterion, scores.get(criterion.pk)) for criterion in criteria]
    given = AccountScore.objects.filter(account_id=account.pk, criterion_id=OuterRef("pk"))
    joined = criteria.annotate(account_score=Subquery(given.values("score")[:1]))
    return [
        (
            criterion,
            None
            if criterion.account_score is None
            else AccountScore(account=account, criterion=criterion, score=criterion.account_score),
        )
        for criterion in joined
    ]


def _stored_position(snapshot: AccountSnapshot | None) -> ScorecardPosition | None:
    """The position the refresh stored with the snapshot (the page compares it with today's)."""
    if snapshot is None:
        return None
    return ScorecardPosition(
        attractiveness=_round(snapshot.attractiveness),
        attractiveness_coverage=snapshot.attractiveness_coverage or 0.0,
        strength=_round(snapshot.relative_strength),
        strength_coverage=0.0,  # the snapshot keeps only the attractiveness coverage
        quadrant=snapshot.portfolio_quadrant,
    )


def _validated(score: int | None) -> int | None:
    if score is None:
        return None
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValidationError(
            _("A score runs from %(low)d to %(high)d, not %(score)s.")
            % {"low": SCORE_MIN, "high": SCORE_MAX, "score": score},
            code="score_range",
        )
    return score


def account_score_set(
    *,
    account: Account,
    criterion: ScoringCriterion,
    score: int | None,
    user: User,
    note: str = "",
) -> Scorecard:
    """Give (or, with None, clear) the account's score on one criterion, recording who and
    when (the history keeps every earlier value), then move the account's latest snapshot
    to the position the scores now give, so lists and the dashboard follow at once."""
    value = _validated(score)
    if not criterion.is_active:
        raise ValidationError(_("This criterion is no longer in use."), code="inactive")
    with transaction.atomic():
        existing = AccountScore.objects.filter(account=account, criterion=criterion).first()
        if value is None:
            if existing is not None:
                existing.delete()
        elif existing is None:
            AccountScore.objects.create(
                account=account, criterion=criterion, score=value, note=note, scored_by=user
            )
        elif existing.score != value or existing.note != note:
            existing.score, existing.note, existing.scored_by = value, note, user
            existing.save(update_fields=["score", "note", "scored_by", "updated_at"])
        card = account_scorecard(account)
        _store_position(account, card.position)
    return account_scorecard(account)


def _store_position(account: Account, position: ScorecardPosition) -> None:
    snapshot = _latest_snapshot(account)
    if snapshot is None:
        return
    snapshot.attractiveness = position.attractiveness
    snapshot.attractiveness_coverage = position.attractiveness_coverage
    snapshot.relative_strength = position.strength
    snapshot.portfolio_quadrant = position.quadrant
    snapshot.save(
        update_fields=[
            "attractiveness",
            "attractiveness_coverage",
            "relative_strength",
            "portfolio_quadrant",
        ]
    )
    DashboardCache.objects.filter(run_id=snapshot.run_id).update(portfolio_stale=True)


def rescore_latest_run(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Score every account of the latest refresh again on today's criteria and weights (after
    the settings changed them): attractiveness, its coverage, relative strength and the
    portfolio quadrant of each snapshot, cut where that refresh cut (the portfolio's median then
    is today's median). Marks the dashboard's kept figures outdated; the number of snapshots.

    The snapshots are written RESCORE_BATCH at a time, each batch committed (outside a
    transaction), `progress(done, total)` called after each: a background job shows how far it
    has got. Running it again gives the same figures."""
    # The latest refresh as every page reads it: two refreshes of one day tie on as_of.
    run = latest_run()
    if run is None:
        return 0
    table = readers.account_table()
    snapshots = {
        s.account_id: s
        for s in AccountSnapshot.objects.filter(run=run).only(
            "pk", "account_id", "share_of_wallet", "run_id"
        )
    }
    if progress is not None:  # counted: the page shows 0 of N while the scores are computed
        progress(0, len(snapshots))
    wallet = np.array(
        [
            np.nan
            if (found := snapshots.get(int(pk))) is None or found.share_of_wallet is None
            else found.share_of_wallet
            for pk in table.ids
        ],
        dtype=np.float64,
    )
    attractiveness, coverage = services._weighted_score(
        readers.score_matrix(table, ScoringCriterion.Scorecard.ATTRACTIVENESS)
    )
    felt = hooks.satisfaction(table.ids, run.as_of)
    strength, _coverage = services._weighted_score(
        services.strength_scores(
            table, share_of_wallet=wallet, as_of=run.as_of, csat=felt.csat if felt else None
        )
    )
    config = PortfolioSettings.current()
    fixed = config.portfolio_cut == MatrixCut.FIXED
    result = quadrants.classify(
        quadrants.PORTFOLIO,
        strength,
        attractiveness,
        x_cut=float(config.portfolio_strength_cut) if fixed else None,
        y_cut=float(config.portfolio_attractiveness_cut) if fixed else None,
    )
    changed = []
    for i, pk in enumerate(table.ids.tolist()):
        found = snapshots.get(pk)
        if found is None:
            continue
        found.attractiveness = _finite(attractiveness[i])
        found.attractiveness_coverage = float(coverage[i])
        found.relative_strength = _finite(strength[i])
        found.portfolio_quadrant = str(result.code[i])
        changed.append(found)
    fields = [
        "attractiveness",
        "attractiveness_coverage",
        "relative_strength",
        "portfolio_quadrant",
    ]
    # One plain UPDATE by primary key per snapshot, sent with executemany: bulk_update's
    # CASE over each batch's ids costs as much per row as the batch is long (35 s against
    # 0.06 s for 10,000 snapshots on SQLite).
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(name)} = %s" for name in fields)  # plain columns, same names
    update = f"UPDATE {quote(AccountSnapshot._meta.db_table)} SET {columns} WHERE id = %s"
    for start in range(0, len(changed), RESCORE_BATCH):
        batch = changed[start : start + RESCORE_BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(update, [[getattr(s, f) for f in fields] + [s.pk] for s in batch])
        if progress is not None and start + RESCORE_BATCH < len(changed):
            progress(start + RESCORE_BATCH, len(changed))
    with transaction.atomic():
        cuts = dict(run.models_fitted.get("matrix_cuts") or {})
        cuts["portfolio"] = [_finite(result.x_cut), _finite(result.y_cut)]
        run.models_fitted = {**run.models_fitted, "matrix_cuts": cuts}
        run.save(update_fields=["models_fitted"])
        DashboardCache.objects.filter(run_id=run.pk).update(portfolio_stale=True)
    if progress is not None:
        progress(len(changed), len(changed))
    return len(changed)


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
