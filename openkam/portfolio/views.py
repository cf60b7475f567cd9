"""The account's scorecard: shown on the account page, edited inline (htmx) one score at a
time. The account comes through the one access idiom: account_for to read,
writable_account_for to write (an account the user does not see is a 404, one they see with
a read-only role a 403; nothing is saved either way)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import (
    account_for,
    can_edit_account,
    user_writes,
    writable_account_for,
)
from openkam.portfolio.forms import ScoreForm
from openkam.portfolio.models import ScoringCriterion
from openkam.portfolio.scoring import account_score_set, account_scorecard
from openkam.team.http import AuthenticatedRequest

TEMPLATE = "portfolio/scorecard.html"


@login_required
def scorecard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = account_for(request.user, pk)
    context = {
        "scorecard": account_scorecard(account),
        # Scores for who may change the account (a seat on its team only lets a KAM read it).
        "can_edit": user_writes(request.user) and can_edit_account(request.user, account.pk),
        "oob": True,  # and the count on the account page's tab
    }
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def score_set(request: AuthenticatedRequest, pk: int, criterion_id: int) -> HttpResponse:
    account = writable_account_for(request.user, pk)
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
