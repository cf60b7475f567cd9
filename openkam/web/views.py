"""The portfolio dashboard over the accounts the user may see, filtered by team, KAM, region,
industry and tier. After a refresh every figure comes from its snapshots (kept per refresh
and set of accounts, see web.dashboard); before the first one, the headline is read live
from the ledger's monthly aggregates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from openkam.accounts.selectors import accounts_visible_to
from openkam.common.http import is_htmx
from openkam.team.http import AuthenticatedRequest
from openkam.web.dashboard import CACHE_SECONDS, Dashboard, filtered, portfolio_dashboard
from openkam.web.forms import DashboardFilterForm
from openkam.web.glossary import TERMS
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
            "chart": chart_series(portfolio_monthly(accounts, today=today), today=today),
        }
    context["body"] = _body(request, context)
    if is_htmx(request):
        return HttpResponse(context["body"])
    return render(request, "web/home.html", context)


def _body(request: AuthenticatedRequest, context: dict[str, object]) -> str:
    """The dashboard's body. Rendered from kept figures it is kept too, per language, until
    those figures change (a refresh, a scorecard edit, the counts' periodic update): every
    user of the same scope after a refresh reads it instead of rendering it again."""
    dashboard = context["dashboard"]
    if not isinstance(dashboard, Dashboard):
        return render_to_string("web/dashboard/body.html", context, request)
    key = f"dashboard-body:{dashboard.key}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("web/dashboard/body.html", context, request)
        cache.set(key, body, CACHE_SECONDS)
    return mark_safe(body)  # rendered by our templates, escaped there


@login_required
def glossary(request: AuthenticatedRequest) -> HttpResponse:
    """The KAM terms in plain words, in the reader's language."""
    return render(request, "web/glossary.html", {"terms": TERMS})
