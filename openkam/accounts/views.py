"""The account list and the account page. Visibility always goes through
accounts_visible_to: an account the user may not see does not exist for them (404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.forms import AccountFilterForm
from openkam.accounts.selectors import accounts_visible_to
from openkam.portfolio.selectors import account_analysis
from openkam.web.http import AuthenticatedRequest, is_htmx
from openkam.web.selectors import (
    account_list as account_list_query,
)
from openkam.web.selectors import (
    account_with_profile,
    chart_series,
    forecast_band,
    group_structure,
    ledger_summary,
    trailing_months,
    wallet_rows,
)


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    visible = accounts_visible_to(request.user)
    form = AccountFilterForm(request.GET, accounts=visible)
    if not form.is_valid():
        messages.warning(request, _("Some filters were not valid and have been ignored."))
    filters = form.filters()
    window = trailing_months(timezone.localdate())
    accounts = account_list_query(visible, window=window, **filters)
    page = Paginator(accounts, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": filters["sort"], "window": window}
    template = "accounts/_results.html" if is_htmx(request) else "accounts/list.html"
    return render(request, template, context)


@login_required
def account_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(account_with_profile(accounts_visible_to(request.user)), pk=pk)
    today = timezone.localdate()
    ledger = ledger_summary(account, today=today)
    analysis = account_analysis(account)
    context = {
        "account": account,
        "group": group_structure(account, user=request.user, today=today),
        "ledger": ledger,
        "wallet": wallet_rows(account, ledger),
        "chart": chart_series(ledger.monthly),
        "forecast": forecast_band(
            analysis.snapshot if analysis else None, after=ledger.window.last_month
        ),
        "analysis": analysis,
    }
    return render(request, "accounts/detail.html", context)
