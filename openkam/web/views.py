"""The portfolio dashboard over the accounts the user may see, filtered by team, KAM, region,
industry and tier. After a refresh every figure comes from its snapshots (kept per refresh
and set of accounts, see web.dashboard); before the first one, the headline is read live
from the ledger's monthly aggregates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openkam.accounts.selectors import accounts_visible_to
from openkam.web.dashboard import filtered, portfolio_dashboard
from openkam.web.forms import DashboardFilterForm
from openkam.web.http import AuthenticatedRequest, is_htmx
from openkam.web.labels import chart_labels
from openkam.web.selectors import chart_series, portfolio_headline, portfolio_monthly, top_accounts


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    visible = accounts_visible_to(request.user)
    form = DashboardFilterForm(request.GET, user=request.user, accounts=visible)
    form.is_valid()
    filters = form.filters()
    dashboard = portfolio_dashboard(request.user, visible, filters)
    context: dict[str, object] = {"form": form, "dashboard": dashboard, "labels": chart_labels()}
    if dashboard is None:
        accounts = filtered(visible, filters)
        today = timezone.localdate()
        headline = portfolio_headline(accounts, today=today)
        context |= {
            "headline": headline,
            "top_accounts": top_accounts(accounts, window=headline.window),
            "chart": chart_series(portfolio_monthly(accounts, today=today)),
        }
    template = "web/dashboard/body.html" if is_htmx(request) else "web/home.html"
    return render(request, template, context)
