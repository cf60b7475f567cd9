"""The yearly tier review's writes (DOMAIN §2.2) and the one rule on who changes an account's
tier and strategic designation. Each checks the role, validates, then saves inside one
transaction with a history entry (django-simple-history) naming who and why; a refusal saves
nothing. They raise domain errors (openkam.common.errors); the pages and the API map them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from openkam.accounts.models import Account, Tier
from openkam.common.errors import (
    Conflict,
    FieldPermissionDenied,
    PermissionDenied,
    ValidationError,
)
from openkam.governance.forms import (  # the settings page's rules, one place
    CriterionAddForm,
    ServiceLevelForm,
    SettingsForm,
    WeightFormSet,
    check_weights,
)
from openkam.governance.models import CRITERIA, RescoreJob, StrategicDesignation
from openkam.governance.permissions import (
    may_change_settings,
    may_decide,
    may_prepare,
    may_read,
    require_decide,
    require_prepare,
)
from openkam.governance.signals import announce_approved
from openkam.governance.tasks import rescore_enqueue
from openkam.interactions.models import ContactCadence
from openkam.interactions.services import cadence_set
from openkam.portfolio.models import (
    DEFAULT_SERVICE_LEVELS,
    AccountSnapshot,
    PortfolioSettings,
    ScoringCriterion,
    TierProposal,
    TierReview,
    TierServiceLevel,
)
from openkam.portfolio.selectors import latest_run
from openkam.team.models import User

PROPOSED = TierProposal.Status.PROPOSED
GOVERNED_FIELDS = ("tier", "is_strategic", "strategic_reason")


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _require_status(review: TierReview, status: str, message: str) -> None:
    if review.status != status:
        raise Conflict(message)


# --- Opening ---------------------------------------------------------------------------------


@transaction.atomic
def review_open(*, user: User, year: int) -> TierReview:
    """Open the year's review and compute its proposals: every account whose tier by the policy
    (the latest refresh's figures) differs from the one it has."""
    require_prepare(user)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    if TierReview.objects.filter(year=year).exists():
        message = _("The review of %(year)s exists already.") % {"year": year}
        raise ValidationError({"year": message})
    unclosed = TierReview.objects.exclude(status=TierReview.Status.CLOSED).first()
    if unclosed is not None:
        message = _("The review of %(year)s is not closed yet: one review at a time.")
        raise Conflict(message % {"year": unclosed.year})
    run = latest_run()
    if run is None:
        raise ValidationError({"year": _("No portfolio refresh yet: run one first.")})
    review = TierReview(year=year, run=run, opened_by=user)
    review._history_user = user  # type: ignore[attr-defined]  # also outside a request
    review._change_reason = "opened"  # type: ignore[attr-defined]
    review.save()
    # Proposals left by the refreshes of earlier releases give way to the review's.
    TierProposal.objects.filter(status=PROPOSED).update(status=TierProposal.Status.SUPERSEDED)
    changes = (
        AccountSnapshot.objects.filter(run=run)
        .exclude(tier_proposed=F("account__tier"))
        .order_by("account_id")
        .values_list("account_id", "account__tier", "tier_proposed")
    )
    justification = _("The tier policy, on the figures as of %(date)s.") % {
        "date": run.as_of.isoformat()
    }
    proposals = [
        TierProposal(
            review=review,
            account_id=account_id,
            run=run,
            current_tier=current,
            policy_tier=proposed,
            proposed_tier=proposed,
            reason=justification,
            proposed_by=user,
        )
        for account_id, current, proposed in changes.iterator(chunk_size=5000)
    ]
    bulk_create_with_history(proposals, TierProposal, batch_size=2000, default_user=user)
    return review


# --- Preparing -------------------------------------------------------------------------------


def _editable(review: TierReview) -> None:
    message = _("The review was submitted: its proposals can no longer change.")
    _require_status(review, TierReview.Status.OPEN, message)


def _tier(value: str) -> str:
    if value not in Tier.values:
        raise ValidationError({"proposed_tier": _("Choose one of the tiers.")})
    return value


def _policy_tier(review: TierReview, account_id: int) -> str:
    found = AccountSnapshot.objects.filter(run_id=review.run_id, account_id=account_id)
    return found.values_list("tier_proposed", flat=True).first() or ""


@transaction.atomic
def proposal_add(
    *, user: User, review: TierReview, account_id: int, proposed_tier: str, reason: str
) -> TierProposal:
    """A proposal the policy did not make (an account the analyst knows more about)."""
    require_prepare(user)
    _editable(review)
    tier = _tier(proposed_tier)
    reason = _text(reason, "reason", _("Say why: the general manager decides on it."))
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise ValidationError({"account_id": _("No account with this ID.")})
    if account.tier == tier:
        raise ValidationError({"proposed_tier": _("The account has this tier already.")})
    if TierProposal.objects.filter(account=account, status=PROPOSED).exists():
        message = _("The account has a proposal in this review already: change that one.")
        raise ValidationError({"account_id": message})
    proposal = TierProposal(
        review=review,
        account=account,
        run_id=review.run_id,
        current_tier=account.tier,
        policy_tier=_policy_tier(review, account.pk),
        proposed_tier=tier,
        reason=reason,
        proposed_by=user,
    )
    proposal._history_user = user  # type: ignore[attr-defined]
    proposal._change_reason = "added"  # type: ignore[attr-defined]
    proposal.save()
    return proposal


def _open_proposal(proposal: TierProposal) -> TierReview:
    if proposal.review is None:
        raise Conflict(_("This proposal belongs to no review."))
    if proposal.status != PROPOSED:
        raise Conflict(_("This proposal was decided or withdrawn already."))
    return proposal.review


@transaction.atomic
def proposal_change(
    *, user: User, proposal: TierProposal, proposed_tier: str, reason: str
) -> TierProposal:
    require_prepare(user)
    _editable(_open_proposal(proposal))
    tier = _tier(proposed_tier)
    reason = _text(reason, "reason", _("Say why: the general manager decides on it."))
    if tier == proposal.current_tier:
        message = _("The account has this tier already: withdraw the proposal instead.")
        raise ValidationError({"proposed_tier": message})
    proposal.proposed_tier, proposal.reason = tier, reason
    proposal._history_user = user  # type: ignore[attr-defined]
    proposal._change_reason = "changed"  # type: ignore[attr-defined]
    proposal.save(update_fields=["proposed_tier", "reason", "updated_at"])
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: TierProposal, reason: str) -> TierProposal:
    require_prepare(user)
    _editable(_open_proposal(proposal))
    proposal.reason = _text(reason, "reason", _("Say why the proposal is withdrawn."))
    proposal.status = TierProposal.Status.WITHDRAWN
    proposal._history_user = user  # type: ignore[attr-defined]
    proposal._change_reason = "withdrawn"  # type: ignore[attr-defined]
    proposal.save(update_fields=["status", "reason", "updated_at"])
    return proposal


@transaction.atomic
def review_submit(*, user: User, review: TierReview) -> TierReview:
    """Hand the proposals to the general manager; a review with none left closes at once."""
    require_prepare(user)
    _require_status(review, TierReview.Status.OPEN, _("The review was submitted already."))
    review.status = TierReview.Status.SUBMITTED
    review.submitted_by, review.submitted_at = user, timezone.now()
    review._history_user = user  # type: ignore[attr-defined]
    review._change_reason = "submitted"  # type: ignore[attr-defined]
    review.save()
    _close_when_decided(review, user)
    return review


# --- Deciding --------------------------------------------------------------------------------


def _decidable(proposal: TierProposal) -> TierReview:
    review = _open_proposal(proposal)
    message = _("The review is not submitted: the analyst is still preparing it.")
    _require_status(review, TierReview.Status.SUBMITTED, message)
    return review


def _apply_tier(proposal: TierProposal, user: User, review: TierReview) -> None:
    """The account takes the approved tier, its history naming the review."""
    account = Account.objects.select_for_update().get(pk=proposal.account_id)
    account.tier = proposal.proposed_tier
    account._history_user = user  # type: ignore[attr-defined]
    account._change_reason = _("Tier review %(year)s, proposal no. %(number)s") % {  # type: ignore[attr-defined]
        "year": review.year,
        "number": proposal.pk,
    }
    account.save(update_fields=["tier", "updated_at"])


def _decide(
    proposal: TierProposal, *, user: User, review: TierReview, approve: bool, comment: str
) -> None:
    proposal.status = TierProposal.Status.APPROVED if approve else TierProposal.Status.REJECTED
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.decision_comment = comment
    proposal._history_user = user  # type: ignore[attr-defined]
    proposal._change_reason = proposal.status  # type: ignore[attr-defined]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if approve:
        _apply_tier(proposal, user, review)


def _close_when_decided(review: TierReview, user: User) -> None:
    if not review.proposals.filter(status=PROPOSED).exists():
        review.status, review.closed_at = TierReview.Status.CLOSED, timezone.now()
        review._history_user = user  # type: ignore[attr-defined]
        review._change_reason = "closed"  # type: ignore[attr-defined]
        review.save(update_fields=["status", "closed_at", "updated_at"])


@transaction.atomic
def proposal_decide(
    *, user: User, proposal: TierProposal, approve: bool, comment: str = ""
) -> TierProposal:
    """Approve (the account takes the tier) or reject (a comment says why) one proposal."""
    require_decide(user)
    proposal = TierProposal.objects.select_for_update().get(pk=proposal.pk)
    review = _decidable(proposal)
    comment = (comment or "").strip()
    if not approve:
        comment = _text(comment, "comment", _("Say why the proposal is rejected."))
    _decide(proposal, user=user, review=review, approve=approve, comment=comment)
    _close_when_decided(review, user)
    if approve:
        announce_approved([proposal.pk])
    return proposal


@transaction.atomic
def review_approve_rest(*, user: User, review: TierReview, comment: str = "") -> int:
    """Approve every proposal still undecided (the exceptions were rejected one by one first);
    how many were approved."""
    require_decide(user)
    message = _("The review is not submitted: the analyst is still preparing it.")
    _require_status(review, TierReview.Status.SUBMITTED, message)
    waiting = list(
        TierProposal.objects.select_for_update()
        .filter(review=review, status=PROPOSED)
        .order_by("pk")
    )
    for proposal in waiting:
        _decide(proposal, user=user, review=review, approve=True, comment=comment.strip())
    _close_when_decided(review, user)
    announce_approved([proposal.pk for proposal in waiting])
    return len(waiting)


# --- The rule on tier and strategic designation -----------------------------------------------


def governed_change_check(*, user: User, account: Account | None, data: dict[str, Any]) -> str:
    """Refuse a change of `tier`, `is_strategic` or `strategic_reason` by anyone but an
    executive (the review changes the tier otherwise), naming the field; an executive must
    give `change_reason`, which the account's history keeps. Returns that reason ("" when
    none of them changes)."""
    reason = str(data.pop("change_reason", "") or "").strip()
    defaults: dict[str, object] = {"tier": Tier.GENERAL, "is_strategic": False}
    defaults["strategic_reason"] = ""
    changed = [
        name
        for name in GOVERNED_FIELDS
        if name in data
        and data[name] != (getattr(account, name) if account is not None else defaults[name])
    ]
    if not changed:
        return ""
    if not may_decide(user):
        message = _(
            "Only the yearly tier review or an executive changes %(field)s; "
            "propose the change to marketing."
        )
        raise FieldPermissionDenied(changed[0], message % {"field": changed[0]})
    return _text(
        reason, "change_reason", _("Give the reason for changing the tier or designation.")
    )


# --- Company settings ------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, user: User, changes: dict[str, Any]) -> PortfolioSettings:
    """Change the company's settings (analysts and executives) with the settings page's own
    checks; the history keeps who and when; the next refresh uses them."""
    if not may_read(user):
        raise PermissionDenied(_("Only analysts and executives change the company settings."))
    current = PortfolioSettings.current()
    data = {name: getattr(current, name) for name in SettingsForm.Meta.fields}
    data.update({name: value for name, value in changes.items() if value is not None})
    form = SettingsForm({k: v for k, v in data.items() if v is not False}, instance=current)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    form.instance._history_user = user
    form.instance._change_reason = "settings"
    return form.save()


# --- Service levels per tier and the scorecard criteria --------------------------------------

SERVICE_FIELDS = (
    "executive_sponsor",
    "priority_delivery",
    "dedicated_training",
    "support_response_hours",
)


def service_levels() -> list[dict[str, Any]]:
    """What each tier is entitled to, most important tier first: the visit cadence (the
    interactions app's contact cadence) and the tier's service level; two queries."""
    cadences = dict(ContactCadence.objects.values_list("tier", "every_days"))
    rows = {row.tier: row for row in TierServiceLevel.objects.all()}
    levels = []
    for tier in Tier.values:
        row = rows.get(tier) or TierServiceLevel(tier=tier, **DEFAULT_SERVICE_LEVELS[tier])
        entry: dict[str, Any] = {"tier": tier, "every_days": cadences.get(tier)}
        entry |= {name: getattr(row, name) for name in SERVICE_FIELDS}
        levels.append(entry)
    return levels


@transaction.atomic
def service_levels_set(*, user: User, levels: dict[str, dict[str, Any]]) -> None:
    """Change the tiers' entitlements (analysts and executives); each tier's row keeps who and
    when in its history; a refusal names `<tier>.<field>` and saves nothing."""
    if not may_change_settings(user):
        raise PermissionDenied(_("Only analysts and executives change the company settings."))
    current = {entry["tier"]: entry for entry in service_levels()}
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for tier, changes in levels.items():
        if tier not in current:
            errors[tier] = [_("Unknown tier: %(tiers)s") % {"tiers": tier}]
            continue
        merged = {**current[tier], **{k: v for k, v in changes.items() if v is not None}}
        form = ServiceLevelForm(
            {f"s-{tier}-{k}": v for k, v in merged.items() if v is not False and v is not None},
            tier=tier,
        )
        if not form.is_valid():
            errors |= {
                f"{tier}.{name}": [str(e) for e in found] for name, found in form.errors.items()
            }
            continue
        cleaned[tier] = form.cleaned_data
    if errors:
        raise ValidationError(errors)
    cadence_set(days_by_tier={t: d["every_days"] for t, d in cleaned.items()}, by=user)
    for tier, data in cleaned.items():
        row, _created = TierServiceLevel.objects.get_or_create(
            tier=tier, defaults=DEFAULT_SERVICE_LEVELS[tier]
        )
        if all(getattr(row, name) == data[name] for name in SERVICE_FIELDS):
            continue
        for name in SERVICE_FIELDS:
            setattr(row, name, data[name])
        row._history_user = user  # type: ignore[attr-defined]
        row._change_reason = "settings"  # type: ignore[attr-defined]
        row.save()


@transaction.atomic
def criteria_update(
    *, user: User, changes: dict[int, dict[str, Any]], add: dict[str, Any] | None = None
) -> RescoreJob | None:
    """Rename (both languages), weigh, switch criteria off or on and add one (analysts and
    executives), with the settings page's checks (each scorecard's active weights above zero);
    then have the latest refresh scored again in the background: the job, or None when
    nothing changed."""
    if not may_change_settings(user):
        raise PermissionDenied(_("Only analysts and executives change the company settings."))
    criteria = {c.pk: c for c in ScoringCriterion.objects.order_by("scorecard", "position", "pk")}
    unknown = sorted(set(changes) - set(criteria))
    if unknown:
        raise ValidationError({"criteria": _("No criterion with ID %(id)s.") % {"id": unknown[0]}})
    data: dict[str, Any] = {"w-TOTAL_FORMS": len(criteria), "w-INITIAL_FORMS": len(criteria)}
    for i, (pk, criterion) in enumerate(criteria.items()):
        row = {n: getattr(criterion, n) for n in ("name", "name_en", "weight", "is_active")}
        row |= {k: v for k, v in changes.get(pk, {}).items() if v is not None}
        data |= {f"w-{i}-id": pk} | {f"w-{i}-{k}": v for k, v in row.items() if v is not False}
    weights = WeightFormSet(
        data,
        queryset=ScoringCriterion.objects.filter(pk__in=criteria).order_by(
            "scorecard", "position", "pk"
        ),
        prefix="w",
    )
    new = CriterionAddForm({f"n-{k}": v for k, v in (add or {}).items()}, prefix="n")
    return criteria_save(user=user, weights=weights, new=new)


def criteria_save(*, user: User, weights: Any, new: CriterionAddForm) -> RescoreJob | None:
    """Save the criteria's formset and the new criterion (both checked, or nothing is saved and
    a ValidationError names the field); when anything changed, the job that scores the latest
    refresh again in the background worker (enqueued in the caller's transaction: a save
    refused later leaves no job)."""
    check_weights(weights)
    new_valid = new.is_valid()
    if not weights.is_valid() or weights.non_form_errors() or not new_valid:
        errors: dict[str, list[str]] = {}
        for form in getattr(weights, "forms", []):
            for name, found in form.errors.items():
                errors[f"criteria.{form.instance.pk}.{name}"] = [str(e) for e in found]
        if weights.is_valid() and weights.non_form_errors():
            errors["criteria"] = list(weights.non_form_errors())
        errors |= {
            f"new_criterion.{name}": [str(e) for e in found] for name, found in new.errors.items()
        }
        raise ValidationError(errors)
    changed = weights.has_changed()
    for form in weights.forms:
        if form.has_changed():
            form.instance._history_user = user
            form.instance._change_reason = "settings"
    weights.save()
    if not new.is_blank():
        criterion = new.save(commit=False)
        criterion.position = ScoringCriterion.objects.filter(scorecard=criterion.scorecard).count()
        criterion._history_user = user
        criterion._change_reason = "added"
        criterion.save()
        changed = True
    if not changed:
        return None
    return rescore_enqueue(user=user)


# --- Strategic designation -------------------------------------------------------------------


@transaction.atomic
def designation_propose(
    *, user: User, account_id: int, designate: bool, reason: str, **criteria: Any
) -> StrategicDesignation:
    """Record the four criteria with their evidence and the reason. An analyst's is a proposal
    for the general manager; an executive's is decided at once (approved)."""
    if not (may_prepare(user) or may_decide(user)):
        raise PermissionDenied(
            _("Only analysts propose and executives decide strategic designations.")
        )
    reason = _text(reason, "reason", _("Say why: the general manager decides on it."))
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise ValidationError({"account_id": _("No account with this ID.")})
    if account.is_strategic == designate:
        message = (
            _("The account is designated strategic already.")
            if designate
            else _("The account is not designated strategic.")
        )
        raise ValidationError({"designate": message})
    if designate:
        for name in CRITERIA:
            if criteria.get(name) and not str(criteria.get(f"{name}_evidence") or "").strip():
                raise ValidationError(
                    {f"{name}_evidence": _("Give the evidence of this criterion.")}
                )
    if StrategicDesignation.objects.filter(
        account=account, status=StrategicDesignation.Status.PROPOSED
    ).exists():
        message = _("The account has a designation awaiting the decision already.")
        raise ValidationError({"account_id": message})
    fields: dict[str, Any] = {name: bool(criteria.get(name)) for name in CRITERIA}
    fields |= {f"{n}_evidence": str(criteria.get(f"{n}_evidence") or "").strip() for n in CRITERIA}
    designation = StrategicDesignation(
        account=account, designate=designate, reason=reason, proposed_by=user, **fields
    )
    designation._history_user = user  # type: ignore[attr-defined]
    designation._change_reason = "added"  # type: ignore[attr-defined]
    designation.save()
    if may_decide(user):
        designation_decide(user=user, designation=designation, approve=True)
    return designation


@transaction.atomic
def designation_decide(
    *, user: User, designation: StrategicDesignation, approve: bool, comment: str = ""
) -> StrategicDesignation:
    """The general manager's decision: approved sets the account's designation (its history
    gives the reason), rejected says why."""
    require_decide(user)
    designation = StrategicDesignation.objects.select_for_update().get(pk=designation.pk)
    if designation.status != StrategicDesignation.Status.PROPOSED:
        raise Conflict(_("This designation was decided already."))
    comment = (comment or "").strip()
    if not approve:
        comment = _text(comment, "comment", _("Say why the proposal is rejected."))
    designation.status = (
        StrategicDesignation.Status.APPROVED if approve else StrategicDesignation.Status.REJECTED
    )
    designation.decided_by, designation.decided_at = user, timezone.now()
    designation.decision_comment = comment
    designation._history_user = user  # type: ignore[attr-defined]
    designation._change_reason = designation.status  # type: ignore[attr-defined]
    designation.save()
    if approve:
        account = Account.objects.select_for_update().get(pk=designation.account_id)
        account.is_strategic = designation.designate
        account.strategic_reason = designation.reason if designation.designate else ""
        account._history_user = user  # type: ignore[attr-defined]
        account._change_reason = _("Strategic designation no. %(number)s") % {  # type: ignore[attr-defined]
            "number": designation.pk
        }
        account.save(update_fields=["is_strategic", "strategic_reason", "updated_at"])
    return designation
