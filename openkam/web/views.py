"""The home dashboard: headline figures over the accounts the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openkam.accounts.selectors import accounts_visible_to
from openkam.portfolio.selectors import portfolio_summary
from openkam.web.http import AuthenticatedRequest
from openkam.web.selectors import chart_series, portfolio_headline, portfolio_monthly, top_accounts


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    accounts = accounts_visible_to(request.user)
    today = timezone.localdate()
    headline = portfolio_headline(accounts, today=today)
    context = {
        "headline": headline,
        "top_accounts": top_accounts(accounts, window=headline.window),
        "chart": chart_series(portfolio_monthly(accounts, today=today)),
        "analysis": portfolio_summary(accounts, sees_all=request.user.sees_all_accounts),
    }
    return render(request, "web/home.html", context)
