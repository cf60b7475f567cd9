"""Writes from the account pages: a new account (after a look for likely duplicates) and the
facts of an account's profile, finance, needs and competition, added, edited and removed in
place on the account page's tabs (htmx), or on a page of their own without JavaScript.

Every write fetches through writable_account_for / fact_for(write=True): another team's
account is a 404, a role that reads only a 403, and nothing is saved; the services decide the
rest, their field errors land on the form's fields."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from openkam.accounts import services
from openkam.accounts.forms import (
    AccountCreateForm,
    CompetitorPresenceForm,
    attach_error,
    fact_form,
    fact_values,
)
from openkam.accounts.models import Account, CompetitorPresence
from openkam.accounts.selectors import competitors_visible_to, user_writes, writable_account_for
from openkam.common.errors import NotFound
from openkam.common.http import is_htmx
from openkam.common.models import SourcedFact
from openkam.team.http import AuthenticatedRequest
from openkam.web.accounts.views import tab_response

# The tab of the account page each kind of fact is shown on.
TAB_OF = {
    "shareholder": "profile",
    "officer": "profile",
    "business-unit": "profile",
    "location": "profile",
    "event": "profile",
    "financial-year": "finance",
    "outlook": "finance",
    "budget-cycle": "finance",
    "need": "needs",
    "competitor": "needs",
    "wallet": "needs",
}

# The form's title, adding and editing, for each kind.
TITLES = {
    "shareholder": (_lazy("New shareholder"), _lazy("Edit shareholder")),
    "officer": (_lazy("New director or manager"), _lazy("Edit director or manager")),
    "business-unit": (_lazy("New business unit"), _lazy("Edit business unit")),
    "location": (_lazy("New location"), _lazy("Edit location")),
    "event": (_lazy("New company event"), _lazy("Edit company event")),
    "financial-year": (_lazy("New financial year"), _lazy("Edit financial year")),
    "outlook": (_lazy("New outlook or risk note"), _lazy("Edit outlook or risk note")),
    "budget-cycle": (_lazy("Budget cycle"), _lazy("Edit budget cycle")),
    "need": (_lazy("New need"), _lazy("Edit need")),
    "competitor": (_lazy("New competitor at the account"), _lazy("Edit competitor at the account")),
    "wallet": (_lazy("New wallet estimate"), _lazy("Edit wallet estimate")),
}


# --- A new account -------------------------------------------------------------------------


@login_required
def account_create(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the form; POST: the likely duplicates first (to confirm), then the account."""
    if not user_writes(request.user):
        raise PermissionDenied(_("You do not have permission to do this."))
    form = AccountCreateForm(request.POST or None, user=request.user)
    duplicates: list[Account] = []
    if request.method == "POST" and form.is_valid():
        data = form.account_data()
        if not form.cleaned_data["confirm_duplicates"]:
            duplicates = services.account_duplicates(
                user=request.user, legal_name=data["legal_name"], credit_code=data["credit_code"]
            )
        if not duplicates:
            try:
                account = services.account_create(user=request.user, data=data)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The account has been created."))
                return redirect(account)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "web/accounts/create.html", context)


# --- Facts ---------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in TAB_OF:
        raise NotFound(_("No such kind of fact."))
    return kind


def _form(kind: str, data: Any, fact: SourcedFact | None) -> Any:
    if kind == "competitor":
        assert fact is None or isinstance(fact, CompetitorPresence)
        return CompetitorPresenceForm(data, presence=fact)
    return fact_form(kind, data, instance=fact)


def _save(request: AuthenticatedRequest, account: Account, kind: str, form: Any, item: Any) -> None:
    user = request.user
    if kind == "competitor":
        name = form.cleaned_data["competitor"]
        if item is None:
            services.competitor_presence_create(
                user=user, account_id=account.pk, competitor=name, fields=form.values()
            )
        else:
            services.competitor_presence_update(
                user=user, presence_id=item.pk, competitor=name, fields=form.values()
            )
    elif item is None:
        services.fact_create(
            user=user, account_id=account.pk, kind=kind, fields=fact_values(kind, form)
        )
    else:
        services.fact_update(user=user, kind=kind, item_id=item.pk, fields=fact_values(kind, form))


def _saved(request: AuthenticatedRequest, account: Account, kind: str) -> HttpResponse:
    """The tab the fact is shown on, as it is now (htmx); else the account page at that tab."""
    tab = TAB_OF[kind]
    if is_htmx(request):
        return tab_response(request, account.pk, tab)
    messages.success(request, _("Saved."))
    return redirect(f"{account.get_absolute_url()}#{tab}")


def _form_page(
    request: AuthenticatedRequest, account: Account, kind: str, form: Any, item: Any
) -> HttpResponse:
    action = (
        reverse("accounts:fact_edit", args=[account.pk, kind, item.pk])
        if item is not None
        else reverse("accounts:fact_add", args=[account.pk, kind])
    )
    context = {
        "account": account,
        "kind": kind,
        "tab": TAB_OF[kind],
        "form": form,
        "item": item,
        "action": action,
        "title": TITLES[kind][item is not None],
        "competitor_names": (
            list(competitors_visible_to(request.user).order_by("name")[:500])
            if kind == "competitor"
            else []
        ),
    }
    template = "web/accounts/_fact_form.html" if is_htmx(request) else "web/accounts/fact.html"
    return render(request, template, context)


@login_required
def fact_add(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """GET: the empty form of a fact (in place on the tab with htmx); POST: add it."""
    kind = _kind(kind)
    account = writable_account_for(request.user, pk)
    form = _form(kind, request.POST if request.method == "POST" else None, None)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, account, kind, form, None)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _saved(request, account, kind)
    return _form_page(request, account, kind, form, None)


@login_required
def fact_edit(request: AuthenticatedRequest, pk: int, kind: str, item: int) -> HttpResponse:
    """GET: the fact's form; POST: save it."""
    kind = _kind(kind)
    fact: Any = services.fact_for(request.user, kind, item, write=True)
    if fact.account_id != pk:
        raise NotFound(_("No such fact about this account."))
    account = fact.account
    form = _form(kind, request.POST if request.method == "POST" else None, fact)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, account, kind, form, fact)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _saved(request, account, kind)
    return _form_page(request, account, kind, form, fact)


@require_POST
@login_required
def fact_delete(request: AuthenticatedRequest, pk: int, kind: str, item: int) -> HttpResponse:
    """Remove a fact recorded in error (its history keeps it)."""
    kind = _kind(kind)
    fact: Any = services.fact_for(request.user, kind, item, write=True)
    if fact.account_id != pk:
        raise NotFound(_("No such fact about this account."))
    account = fact.account
    services.fact_delete(user=request.user, kind=kind, item_id=fact.pk)
    return _saved(request, account, kind)
