"""The account's scorecard: shown on the account page, edited inline (htmx) one score at a
time. Reading follows accounts_visible_to; writing needs a role that works accounts on an
account the user sees, else 403 and nothing is saved."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, can_edit_account
from openkam.portfolio.forms import ScoreForm
from openkam.portfolio.models import ScoringCriterion
from openkam.portfolio.scoring import account_score_set, account_scorecard
from openkam.team.http import AuthenticatedRequest

TEMPLATE = "portfolio/scorecard.html"


@login_required
def scorecard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    context = {
        "scorecard": account_scorecard(account),
        "can_edit": can_edit_account(request.user, account.pk),
        "oob": True,  # and the count on the account page's tab
    }
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def score_set(request: AuthenticatedRequest, pk: int, criterion_id: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    if not can_edit_account(request.user, account.pk):
        raise PermissionDenied
    criterion = get_object_or_404(ScoringCriterion, pk=criterion_id, is_active=True)
    form = ScoreForm(request.POST)
    error, status = "", 200
    if form.is_valid():
        try:
            account_score_set(
                account=account,
                criterion=criterion,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 422
    else:
        error, status = " ".join(str(m) for errors in form.errors.values() for m in errors), 422
    context = {
        "scorecard": account_scorecard(account),
        "can_edit": True,
        "error": error,
        "error_criterion": criterion.pk if error else None,
        "changed": criterion.pk,
        "oob": True,  # the tab's count of scored criteria follows
    }
    return render(request, TEMPLATE, context, status=status)
