"""The tier review's pages and the company settings page. Analysts prepare, executives
decide (openkam.governance.permissions); other roles are refused (403), an unknown review or
proposal is a 404. Services decide every rule: a refusal naming a field lands on that field,
one without a field is shown as a message; nothing is saved either way."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openkam.common.errors import Conflict, NotFound
from openkam.common.exports import xlsx_response
from openkam.governance import exports, selectors, services
from openkam.governance.forms import (
    AddForm,
    ApproveRestForm,
    CriterionAddForm,
    DecideForm,
    DesignationForm,
    OpenForm,
    ProposalFilterForm,
    ProposalForm,
    ServiceLevelForm,
    SettingsForm,
    WeightFormSet,
    WithdrawForm,
    attach_error,
)
from openkam.governance.models import STRATEGIC_TARGET, RescoreJob, StrategicDesignation
from openkam.governance.permissions import (
    may_change_settings,
    may_decide,
    may_prepare,
    may_read,
    require_decide,
    require_prepare,
    require_read,
)
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion, TierProposal
from openkam.team.http import AuthenticatedRequest

ORDERING = {
    "account": ["account__legal_name", "pk"],
    "-account": ["-account__legal_name", "-pk"],
    "current": ["current_tier", "account__legal_name"],
    "-current": ["-current_tier", "account__legal_name"],
    "status": ["status", "account__legal_name"],
}


def _refused(request: AuthenticatedRequest, error: ValidationError | Conflict) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


# --- Reviews ---------------------------------------------------------------------------------


@login_required
@require_GET
def reviews(request: AuthenticatedRequest) -> HttpResponse:
    found = selectors.reviews_for(request.user).order_by("-year")
    page = Paginator(found, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "open_form": OpenForm(initial={"year": timezone.localdate().year}),
        "can_prepare": may_prepare(request.user),
        "current": selectors.current_review(),
    }
    return render(request, "governance/reviews.html", context)


@login_required
@require_GET
def current(request: AuthenticatedRequest) -> HttpResponse:
    """Where "N proposals to decide" leads: the review not closed yet for those who take part
    in it, the accounts with a proposal for the others (their own accounts)."""
    if not may_read(request.user):
        return redirect(reverse("accounts:list") + "?proposal=open")
    found = selectors.current_review()
    return redirect(found) if found is not None else redirect("governance:reviews")


@login_required
@require_POST
def review_open(request: AuthenticatedRequest) -> HttpResponse:
    require_prepare(request.user)
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_open(user=request.user, year=form.cleaned_data["year"])
        except (ValidationError, Conflict) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The review is open with its proposals."))
            return redirect(review)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("governance:reviews")


class CountedPaginator(Paginator):
    """A paginator told its count (the review's tally has it) instead of counting again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _review_context(request: AuthenticatedRequest, pk: int, **forms: Any) -> dict[str, Any]:
    review = selectors.review_shown(request.user, pk)
    filters = ProposalFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    sort = data.get("sort") or "account"
    status, tier = data.get("status", ""), data.get("tier", "")
    found = selectors.proposals_listed(review, status=status, tier=tier)
    tally = selectors.Tally(selectors.proposal_tally(review))
    paginator = CountedPaginator(
        found.order_by(*ORDERING[sort]),
        settings.OPENKAM_PAGE_SIZE,
        count=tally.matching(status=status, tier=tier),
    )
    page = paginator.get_page(request.GET.get("page"))
    counts = tally.by_status()
    preparing = may_prepare(request.user) and review.status == review.Status.OPEN
    deciding = may_decide(request.user) and review.status == review.Status.SUBMITTED
    return {
        "review": review,
        "page": page,
        "filters": filters,
        "sort": sort,
        "counts": counts,
        "count_rows": [
            (code, label, counts[code])
            for code, label in TierProposal.Status.choices
            if code != TierProposal.Status.SUPERSEDED
        ],
        "preparing": preparing,
        "deciding": deciding,
        "add_form": forms.get("add_form") or (AddForm() if preparing else None),
        "rest_form": ApproveRestForm() if deciding else None,
        "history": list(review.history.select_related("history_user")[:20]),
    }


@login_required
@require_GET
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "governance/review.html", _review_context(request, pk))


@login_required
@require_GET
def review_export(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The review's decisions as XLSX; read by whoever reads the review (403 / 404 alike)."""
    found = selectors.review_for(request.user, pk)
    stem = _("Tier review %(year)s") % {"year": found.year}
    day = timezone.localdate()
    return xlsx_response(
        exports.decision_rows(found),
        exports.decision_columns(),
        filename=f"{stem}-{day:%Y-%m-%d}.xlsx",
        sheet_name=stem,
    )


@login_required
@require_POST
def review_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.review_for(request.user, pk)
    try:
        services.review_submit(user=request.user, review=found)
    except Conflict as error:
        _refused(request, error)
    else:
        messages.success(request, _("Submitted to the general manager."))
    return redirect(found)


@login_required
@require_POST
def review_approve_rest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.review_for(request.user, pk)
    form = ApproveRestForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        count = services.review_approve_rest(user=request.user, review=found, comment=comment)
    except Conflict as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(count)s proposals approved.") % {"count": count})
    return redirect(found)


@login_required
@require_POST
def proposal_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.review_for(request.user, pk)
    require_prepare(request.user)
    form = AddForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_add(user=request.user, review=found, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        except Conflict as error:
            _refused(request, error)
            return redirect(found)
        else:
            messages.success(request, _("Proposal added."))
            return redirect(found)
    context = _review_context(request, pk, add_form=form)
    return render(request, "governance/review.html", context, status=422)


# --- One proposal ----------------------------------------------------------------------------


def _proposal_context(request: AuthenticatedRequest, pk: int, **forms: Any) -> dict[str, Any]:
    proposal = selectors.proposal_shown(request.user, pk)
    review = proposal.review
    assert review is not None  # proposal_for reads review proposals only
    undecided = proposal.status == TierProposal.Status.PROPOSED
    preparing = undecided and may_prepare(request.user) and review.status == review.Status.OPEN
    deciding = undecided and may_decide(request.user) and review.status == review.Status.SUBMITTED
    initial = {"proposed_tier": proposal.proposed_tier, "reason": proposal.reason}
    return {
        "proposal": proposal,
        "review": review,
        "account": proposal.account,
        "evidence": selectors.proposal_evidence(proposal),
        "preparing": preparing,
        "deciding": deciding,
        "change_form": forms.get("change_form") or ProposalForm(initial=initial, prefix="c"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="w"),
        "decide_form": forms.get("decide_form") or DecideForm(prefix="d"),
        "history": list(proposal.history.select_related("history_user")[:20]),
        "account_history": selectors.account_history(proposal.account),
    }


@login_required
@require_GET
def proposal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "governance/proposal.html", _proposal_context(request, pk))


def _proposal_write(
    request: AuthenticatedRequest, pk: int, form: Any, key: str, write: Any
) -> HttpResponse:
    found = selectors.proposal_for(request.user, pk)
    if form.is_valid():
        try:
            write(found, form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        except Conflict as error:
            _refused(request, error)
            return redirect(found)
        else:
            return redirect(found)
    context = _proposal_context(request, pk, **{key: form})
    return render(request, "governance/proposal.html", context, status=422)


@login_required
@require_POST
def proposal_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_prepare(request.user)

    def write(found: TierProposal, data: dict[str, Any]) -> None:
        services.proposal_change(user=request.user, proposal=found, **data)
        messages.success(request, _("Proposal changed."))

    form = ProposalForm(request.POST, prefix="c")
    return _proposal_write(request, pk, form, "change_form", write)


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_prepare(request.user)

    def write(found: TierProposal, data: dict[str, Any]) -> None:
        services.proposal_withdraw(user=request.user, proposal=found, reason=data["reason"])
        messages.success(request, _("Proposal withdrawn."))

    form = WithdrawForm(request.POST, prefix="w")
    return _proposal_write(request, pk, form, "withdraw_form", write)


@login_required
@require_POST
def proposal_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_read(request.user)
    if not may_decide(request.user):
        raise PermissionDenied(_("Only executives (the general manager) decide tier proposals."))

    def write(found: TierProposal, data: dict[str, Any]) -> None:
        approve = data["decision"] == "approve"
        services.proposal_decide(
            user=request.user, proposal=found, approve=approve, comment=data["comment"]
        )
        messages.success(request, _("Approved.") if approve else _("Rejected."))

    form = DecideForm(request.POST, prefix="d")
    return _proposal_write(request, pk, form, "decide_form", write)


# --- Settings --------------------------------------------------------------------------------


TIER_FIELDS = [
    "key_threshold",
    "major_threshold",
    "key_requires_leader",
    "major_requires_mid_or_leader",
    "tier_measure",
    "tier_period",
    "fiscal_year_start_month",
]
MATRIX_FIELDS = [
    "portfolio_cut",
    "portfolio_attractiveness_cut",
    "portfolio_strength_cut",
    "sales_profit_cut",
    "sales_profit_revenue_cut",
    "sales_profit_margin_cut",
    "volume_loyalty_cut",
    "volume_loyalty_revenue_cut",
]
MODEL_FIELDS = [n for n in SettingsForm.Meta.fields if n not in TIER_FIELDS + MATRIX_FIELDS]


@login_required
def company_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The company's tier policy, cut-offs, matrix cuts, scorecard criteria and the service
    level of each tier: every user reads them, analysts and executives change them (the
    figures from the next refresh; a criteria change has the latest refresh scored again by the
    background worker, whose progress the page follows)."""
    editable = may_change_settings(request.user)
    data = request.POST if request.method == "POST" else None
    if data is not None and not editable:  # before the settings row is made: nothing saved
        raise PermissionDenied(_("Only analysts and executives change the company settings."))
    current = PortfolioSettings.current()
    criteria = ScoringCriterion.objects.order_by("scorecard", "position", "pk")
    form = SettingsForm(data, instance=current)
    weights = WeightFormSet(data, queryset=criteria, prefix="w")
    new_criterion = CriterionAddForm(data, prefix="n")
    levels = services.service_levels()
    level_forms = [ServiceLevelForm(data, tier=level["tier"], initial=level) for level in levels]
    if data is not None:
        valid = form.is_valid() & all([f.is_valid() for f in level_forms])
        try:
            with transaction.atomic():
                if not valid:
                    raise ValidationError(_("Correct the fields marked."))
                if form.has_changed():  # no history entry for a save that changed nothing
                    form.instance._change_reason = "settings"
                    form.save()
                rescored = services.criteria_save(
                    user=request.user, weights=weights, new=new_criterion
                )
                services.service_levels_set(
                    user=request.user, levels={f.tier: f.cleaned_data for f in level_forms}
                )
        except ValidationError:
            pass
        else:
            message = _("Saved: the next refresh uses these settings.")
            if rescored is not None:
                message = _("Saved; the latest refresh is being scored again in the background.")
            messages.success(request, message)
            return redirect("governance:settings")
    groups = [
        (_("Tier policy"), TIER_FIELDS),
        (_("Cut-offs and models"), MODEL_FIELDS),
        (_("Value-matrix cuts"), MATRIX_FIELDS),
    ]
    context = {
        "form": form,
        "groups": [(title, [form[name] for name in names]) for title, names in groups],
        "weights": weights,
        "new_criterion": new_criterion,
        "level_forms": level_forms,
        "editable": editable,
        "history": selectors.settings_history(current),
        "job": RescoreJob.objects.select_related("requested_by").first(),
    }
    status = 422 if data is not None else 200
    return render(request, "governance/settings.html", context, status=status)


@login_required
@require_GET
def rescore_status(request: AuthenticatedRequest) -> HttpResponse:
    """The latest re-scoring's status for the settings page (htmx polls it while it runs);
    every user reads the settings, so every user reads it."""
    job = RescoreJob.objects.select_related("requested_by").first()
    if job is None:
        raise NotFound(_("No re-scoring has been run."))
    return render(request, "governance/_rescore.html", {"job": job})


# --- Strategic designation -------------------------------------------------------------------


@login_required
def strategic(request: AuthenticatedRequest) -> HttpResponse:
    """The strategic accounts against the policy's target, the designations awaiting the
    general manager, the form (analysts propose, executives decide at once) and the history."""
    require_read(request.user)
    form = DesignationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_propose(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            done = (
                _("Designation decided.")
                if may_decide(request.user)
                else _("Proposed to the general manager.")
            )
            messages.success(request, done)
            return redirect("governance:strategic")
    found = selectors.designations_for(request.user)
    page = Paginator(found, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = list(selectors.strategic_accounts())
    low, high = STRATEGIC_TARGET
    context = {
        "form": form,
        "page": page,
        "waiting": list(found.filter(status=StrategicDesignation.Status.PROPOSED)),
        "accounts": accounts,
        "target_low": low,
        "target_high": high,
        "over_target": len(accounts) > high,
        "under_target": len(accounts) < low,
        "deciding": may_decide(request.user),
        "decide_form": DecideForm(prefix="d"),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "governance/strategic.html", context, status=status)


@login_required
@require_POST
def strategic_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.designation_for(request.user, pk)
    require_decide(request.user)
    form = DecideForm(request.POST, prefix="d")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.designation_decide(
                user=request.user, designation=found, approve=approve,
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except (ValidationError, Conflict) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Approved.") if approve else _("Rejected."))
    else:
        messages.error(request, _("Choose approve or reject."))
    return redirect("governance:strategic")
