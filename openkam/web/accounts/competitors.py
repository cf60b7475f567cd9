"""Competitor pages: the list (search, sort, pages) and each competitor across the accounts
where it is present, among those the user sees, with its share, strengths and weaknesses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import services
from openkam.accounts.forms import CompetitorFilterForm, CompetitorForm, attach_error
from openkam.accounts.selectors import (
    competitor_for,
    competitor_presences,
    competitor_rows,
    user_writes,
)
from openkam.common.http import is_htmx
from openkam.team.http import AuthenticatedRequest


@login_required
def competitor_list(request: AuthenticatedRequest) -> HttpResponse:
    form = CompetitorFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "name"
    rows = competitor_rows(request.user, query=data.get("q") or "", sort=sort)
    page = Paginator(rows, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": sort, "query": data.get("q") or ""}
    template = (
        "web/accounts/_competitor_results.html"
        if is_htmx(request)
        else "web/accounts/competitors.html"
    )
    return render(request, template, context)


@login_required
def competitor_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the competitor where it is present; POST: its strengths and weaknesses."""
    competitor = competitor_for(request.user, pk)
    can_write = user_writes(request.user)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(_("You do not have permission to do this."))
    form = CompetitorForm(request.POST or None, instance=competitor) if can_write else None
    if request.method == "POST" and form is not None and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.competitor_update(user=request.user, competitor_id=pk, fields=fields)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect("accounts:competitor", pk=pk)
    presences = competitor_presences(request.user, competitor)
    page = Paginator(presences, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    summary = presences.aggregate(accounts=Count("pk"), average=Avg("share_of_wallet"))
    context = {
        "competitor": competitor,
        "summary": summary,
        "page": page,
        "form": form,
        "open_form": request.method == "POST",
    }
    return render(request, "web/accounts/competitor.html", context)
