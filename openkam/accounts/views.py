"""The account team card's partial updates (htmx): read through account_for (404 for an
account the user does not see), change through the account-team services, which refuse
(403) anyone but the account's KAM, its director and executives. Each answer is the card as
it now is, so the page swaps it in place; without htmx, a write returns to the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from openkam.accounts import services
from openkam.accounts.forms import AccountTeamMemberForm, AccountTeamRoleForm, attach_error
from openkam.accounts.models import Account
from openkam.accounts.selectors import (
    account_for,
    account_team,
    account_team_history,
    account_team_managed_by,
    account_team_member_for,
)
from openkam.common.http import is_htmx
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import User

CARD = "accounts/_team_card.html"


def _with_team(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.select_related("owner", "team")


def team_card_context(
    user: User, account: Account, *, form: AccountTeamMemberForm | None = None
) -> dict[str, Any]:
    """What the card shows: the KAM (the owner, executive or not), the standing team, and the
    forms for those who manage it. One query (the members); the account comes loaded."""
    return {
        "account": account,
        "owner": account.owner,
        "members": account_team(account),
        "can_manage": account_team_managed_by(user, account),
        "add_form": form,
        "roles": AccountTeamRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    }


def _card(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """The card after a write (without htmx: back to the account's page)."""
    account = account_for(request.user, account_id, shape=_with_team)
    if not is_htmx(request):
        return redirect(account)
    return render(request, CARD, team_card_context(request.user, account))


@login_required
@require_safe
def team_card(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = account_for(request.user, pk, shape=_with_team)
    return render(request, CARD, team_card_context(request.user, account))


@login_required
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the card with its add form open; POST: the new member, then the card (the form
    again, with the reason, when refused)."""
    account = account_for(request.user, pk, shape=_with_team)
    if not account_team_managed_by(request.user, account):
        raise PermissionDenied(
            _("Only the account's KAM, its director or an executive may change its team.")
        )
    data = request.POST if request.method == "POST" else None
    form = AccountTeamMemberForm(data, account=account)
    if data is not None and form.is_valid():
        person = form.cleaned_data["user_id"]
        try:
            services.account_team_member_add(
                user=request.user,
                account_id=account.pk,
                member_id=person.pk,
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _card(request, account.pk)
    return render(request, CARD, team_card_context(request.user, account, form=form))


@login_required
@require_POST
def member_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member = account_team_member_for(request.user, pk, write=True)
    form = AccountTeamRoleForm(request.POST)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(map(str, errs))}"
                for name, errs in form.errors.items()
            ]
        )
    services.account_team_member_change(
        user=request.user,
        member_id=member.pk,
        role=form.cleaned_data["role"],
        note=form.cleaned_data["note"] if "note" in request.POST else None,
    )
    return _card(request, member.account_id)


@login_required
@require_POST
def member_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member = account_team_member_for(request.user, pk, write=True)
    services.account_team_member_remove(user=request.user, member_id=member.pk)
    return _card(request, member.account_id)


@login_required
@require_safe
def team_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who added, changed or removed whom on the account's team, and when."""
    account = account_for(request.user, pk)
    rows = account_team_history(account)
    return render(request, "accounts/_team_history.html", {"account": account, "rows": rows})
