"""Survey pages: results (per account, tier, KAM or campaign, with filters and the trend over
the campaigns), the campaign list, a new campaign, a campaign with its recipients and the
reminder, the staff's answer entry; and the public answer page (`answer`), which needs no
login and knows nothing but its token.

Reads fetch through the selectors (404 for what the user does not see); writes through
writable_campaign_for / writable_recipient_for (403 for a role that reads only, on GET as on
POST, nothing saved). The services decide every business rule."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import user_writes
from openkam.plans.forms import attach_error
from openkam.surveys import selectors, services
from openkam.surveys.forms import AnswerForm, CampaignForm, ResultsFilterForm, StaffAnswerForm
from openkam.surveys.models import DIMENSIONS, QUESTIONS, Language, Recipient
from openkam.team.http import AuthenticatedRequest


@login_required
def results(request: AuthenticatedRequest) -> HttpResponse:
    campaigns = selectors.campaigns_visible_to(request.user).order_by("-period_end", "-pk")
    form = ResultsFilterForm(request.GET, campaigns=campaigns)
    data = form.cleaned_data if form.is_valid() else {}
    by = data.get("by") or "account"
    filters = selectors.Filters(
        campaign_id=data["campaign"].pk if data.get("campaign") else None,
        tier=data.get("tier") or "",
        owner_id=data["owner"].pk if data.get("owner") else None,
        account_id=data.get("account"),
    )
    rows = selectors.results(request.user, by=by, filters=filters)
    page = Paginator(rows, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    series = selectors.trend(request.user, filters=filters)
    overall = selectors.results(request.user, by="tier", filters=filters)
    context = {
        "form": form, "by": by, "page": page, "trend": _with_moves(series),
        "total": _total(overall), "dimensions": DIMENSIONS, "chart": trend_chart(series),
    }  # fmt: skip
    return render(request, "surveys/results.html", context)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def trend_chart(series: list[selectors.Figures]) -> dict[str, Any] | None:
    """The trend chart's data, one point per campaign (oldest first): NPS and role-weighted
    NPS (points, left axis) and the CSAT average per dimension (1-5, right axis); None when no
    campaign was answered (the page says so instead)."""
    answered = [figures for figures in series if figures.answered]
    if not answered:
        return None
    names = {"product": _("CSAT product"), "service": _("CSAT service"),
             "sales": _("CSAT sales staff")}  # fmt: skip
    lines = [
        {"name": _("NPS"), "axis": 0, "values": [_rounded(f.nps) for f in answered]},
        {"name": _("Role-weighted NPS"), "axis": 0,
         "values": [_rounded(f.weighted_nps) for f in answered]},
        *({"name": names[d], "axis": 1,
           "values": [_rounded(f.csat_means[d]) for f in answered]} for d in DIMENSIONS),
    ]  # fmt: skip
    return {
        "labels": [f.label for f in answered],
        "periods": [f.end.strftime("%Y-%m") if f.end else "" for f in answered],
        "axes": [_("NPS"), _("CSAT")],
        "series": lines,
    }


def _total(groups: list[selectors.Figures]) -> selectors.Figures:
    total = selectors.Figures(key="all", label="")
    for group in groups:
        total.invited += group.invited
        total.answered += group.answered
        total.scores += group.scores
        total.weights += group.weights
        for dimension in DIMENSIONS:
            total.csat[dimension] += group.csat[dimension]
    return total


def _with_moves(series: list[selectors.Figures]) -> list[dict[str, Any]]:
    """Each campaign with its NPS's move since the one before (the trend)."""
    rows: list[dict[str, Any]] = []
    before: float | None = None
    for figures in series:
        now = figures.nps
        move: float | None = None if now is None or before is None else now - before
        rows.append({"figures": figures, "move": move})
        before = now if now is not None else before
    return rows


@login_required
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.campaign_list(request.user)
    page = Paginator(rows, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "surveys/campaigns.html", {"page": page, "can_write": user_writes(request.user)}
    )


@login_required
def campaign_create(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the form (key tiers by default); POST: the campaign, its links shown once and
    mailed where the contact has an address."""
    if not user_writes(request.user):
        raise PermissionDenied(_("You may not create survey campaigns."))
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, initial=CampaignForm.initial_values())
    if data is not None and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            campaign, links = services.campaign_create(user=request.user, **fields)
        except ValidationError as error:
            attach_error(form, error)
        else:
            services.links_send(campaign, links)
            return _links_page(request, campaign, links, reminder=False)
    return render(request, "surveys/campaign_form.html", {"form": form})


def _links_page(
    request: AuthenticatedRequest, campaign: Any, links: list[services.Link], *, reminder: bool
) -> HttpResponse:
    context = {"campaign": campaign, "links": links, "reminder": reminder}
    return render(request, "surveys/links.html", context)


@login_required
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    recipients = (
        selectors.recipients_visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("account", "contact", "response")
        .order_by("account__legal_name", "contact__name")
    )
    page = Paginator(recipients, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    figures = selectors.results(
        request.user, by="campaign", filters=selectors.Filters(campaign_id=campaign.pk)
    )
    context = {
        "campaign": campaign, "page": page, "figures": figures[0] if figures else None,
        "can_write": user_writes(request.user), "dimensions": DIMENSIONS,
    }  # fmt: skip
    return render(request, "surveys/campaign.html", context)


@require_POST
@login_required
def campaign_remind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """New links for those who have not answered; mailed, or shown to hand over."""
    campaign = selectors.writable_campaign_for(request.user, pk)
    links = services.campaign_remind(user=request.user, campaign_id=campaign.pk)
    if not links:
        messages.info(request, _("Everybody has answered, or their links have expired."))
        return redirect(campaign)
    return _links_page(request, campaign, links, reminder=True)


@login_required
def answer_enter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answers of a phone interview or a visit, typed in by a colleague."""
    recipient = selectors.writable_recipient_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = StaffAnswerForm(data)
    if data is not None and form.is_valid():
        try:
            services.answer_enter(
                user=request.user, recipient_id=recipient.pk, data=form.cleaned_data,
                channel=form.cleaned_data["channel"],
            )  # fmt: skip
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The answers are saved."))
            return redirect(recipient.campaign)
    staff = Language.EN if (translation.get_language() or "").startswith("en") else Language.ZH
    context = {"recipient": recipient, "form": form, "questions": _questions(recipient, staff)}
    return render(request, "surveys/answer_enter.html", context)


def _questions(recipient: Recipient, language: str | None = None) -> dict[str, str]:
    template = recipient.campaign.template
    language = language or recipient.language
    return {q: template.text(q, language) for q in (*QUESTIONS, "intro", "name")}


@never_cache
@csrf_protect
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public page of one personal link, in the recipient's language. An unknown, used or
    expired link reads the same (status and words): it cannot be used; nothing is stored."""
    try:
        recipient = services.recipient_by_token(token)
    except services.LinkUnusable:
        return _unusable(request)
    with translation.override(recipient.language):
        form = AnswerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            try:
                services.answer_link(token=token, data=request.POST.dict())
            except services.LinkUnusable:
                return _unusable(request)
            except ValidationError as error:
                form.is_valid()
                attach_error(form, error)
            else:
                return render(request, "surveys/public_thanks.html", {"lang": recipient.language})
        context = {
            "form": form, "q": _questions(recipient), "lang": recipient.language,
            "dimensions": DIMENSIONS, "nps_range": range(11), "csat_range": range(1, 6),
            "values": request.POST if request.method == "POST" else {},
        }  # fmt: skip
        return render(request, "surveys/public_answer.html", context)


def _unusable(request: HttpRequest) -> HttpResponse:
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return render(request, "surveys/public_unusable.html", {"lang": lang}, status=404)
