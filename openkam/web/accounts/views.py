"""The account list and the account page. The list starts from accounts_visible_to; the page
and its tabs fetch the account through account_for, so an account the user may not see does
not exist for them (404)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.selectors import (
    account_for,
    accounts_visible_to,
    can_edit_account,
    user_writes,
)
from openkam.common.http import is_htmx
from openkam.common.months import trailing_months
from openkam.common.queries import keyed_page
from openkam.ledger.hierarchy import group_header, group_structure
from openkam.portfolio.forecast import revenue_forecast
from openkam.portfolio.selectors import account_analysis, latest_snapshot
from openkam.team.http import AuthenticatedRequest
from openkam.web.accounts.forms import AccountFilterForm
from openkam.web.selectors import (
    TAB_PREFETCHES,
    account_header,
    account_with_tab,
    chart_series,
    ledger_summary,
    wallet_rows,
)
from openkam.web.selectors import (
    account_list as account_list_query,
)


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    visible = accounts_visible_to(request.user)
    form = AccountFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.warning(request, _("Some filters were not valid and have been ignored."))
    filters = form.filters()
    window = trailing_months(timezone.localdate())
    accounts = account_list_query(visible, window=window, **filters)
    page = keyed_page(accounts, request.GET.get("page"), settings.OPENKAM_PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "sort": filters["sort"],
        "window": window,
        "can_create": user_writes(request.user),
    }
    template = "web/accounts/_results.html" if is_htmx(request) else "web/accounts/list.html"
    return render(request, template, context)


@login_required
def account_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The account 360: header, figures and overview; the other tabs load when first shown
    (account_tab), so the page costs what the user looks at first."""
    account = account_for(request.user, pk, shape=account_header)
    today = timezone.localdate()
    ledger = ledger_summary(account, today=today)
    snapshot = latest_snapshot(account)
    forecast = revenue_forecast(snapshot)
    context = {
        "account": account,
        "group": group_header(account, user=request.user),
        "ledger": ledger,
        "chart": chart_series(ledger.monthly, today=today),
        "forecast": forecast and forecast.monthly(after=ledger.window.last_month),
        "snapshot": snapshot,
    }
    return render(request, "web/accounts/detail.html", context)


@login_required
def account_tab(request: AuthenticatedRequest, pk: int, tab: str) -> HttpResponse:
    """One tab of the account page, fetched by htmx when first shown."""
    if tab not in TAB_PREFETCHES:
        raise Http404
    return render(request, f"web/accounts/detail/{tab}.html", tab_context(request, pk, tab))


def tab_context(request: AuthenticatedRequest, pk: int, tab: str) -> dict[str, object]:
    """What one tab shows; `can_write` offers its add and edit forms."""
    account = account_for(request.user, pk, shape=partial(account_with_tab, tab=tab))
    # The tab's forms and the cards' buttons only for who may change this account: a seat on
    # its team lets a KAM read it, not write it (their buttons would end in a 403).
    can_write = user_writes(request.user) and can_edit_account(request.user, account.pk)
    context: dict[str, object] = {"account": account, "can_write": can_write}
    today = timezone.localdate()
    if tab == "analysis":
        context["analysis"] = account_analysis(account)
    elif tab == "group":
        context["group"] = group_structure(account, user=request.user, today=today)
    elif tab == "needs":
        ledger = ledger_summary(account, today=today)
        context |= {"ledger": ledger, "wallet": wallet_rows(account, ledger)}
    return context


def tab_response(request: AuthenticatedRequest, pk: int, tab: str) -> HttpResponse:
    """The tab as it is after a write, swapped into its pane in place of the form sent."""
    response = render(request, f"web/accounts/detail/{tab}.html", tab_context(request, pk, tab))
    response["HX-Retarget"] = f"#{tab}"
    response["HX-Reswap"] = "innerHTML"
    return response
