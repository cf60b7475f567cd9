"""The interactions list as CSV or XLSX: the list page's form, visibility, filters and order
(views.interaction_list), every page of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from openkam.accounts.selectors import account_for, accounts_visible_to
from openkam.common.exports import Column, Kind, attr, export_response
from openkam.interactions import selectors
from openkam.interactions.forms import InteractionFilterForm, TimelineFilterForm
from openkam.interactions.models import Interaction
from openkam.interactions.views import OVERSEEING_ROLES
from openkam.team.http import AuthenticatedRequest


def _people(names: list[str]) -> str:
    return "、".join(names)


def interaction_columns() -> list[Column[Interaction]]:
    """Built per request: the labels follow the language of the request."""
    return [
        Column(_("Date and time"), attr("starts_at"), Kind.DATETIME, width=18),
        Column(_("Kind"), attr("get_kind_display"), width=10),
        Column(_("Status"), attr("get_status_display"), width=10),
        Column(_("Account"), attr("account.legal_name"), width=34),
        Column(_("Subject"), attr("subject"), width=34),
        Column(
            _("Our participants"),
            lambda i: _people([str(u) for u in i.our_participants.all()]),
            width=24,
        ),
        Column(
            _("Their participants"),
            lambda i: _people([c.name for c in i.their_participants.all()]),
            width=24,
        ),
        Column(_("Next step"), attr("next_step"), width=34),
        Column(_("Next step due"), attr("next_step_due"), Kind.DATE, width=14),
        Column(_("Notes"), attr("notes"), width=40),
    ]


@login_required
def interaction_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    if not (request.user.is_superuser or request.user.role in OVERSEEING_ROLES):
        raise PermissionDenied
    visible = accounts_visible_to(request.user)
    form = InteractionFilterForm(request.GET, accounts=visible)
    rows = form.filtered(selectors.interactions_for(visible)).prefetch_related(
        "our_participants", "their_participants"
    )
    return export_response(fmt, rows, interaction_columns(), stem=str(_("Interactions")))


@login_required
def timeline_export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
    """One account's timeline, with the timeline's filters, for whoever may see the account
    (the company-wide list above is for those who oversee)."""
    account = account_for(request.user, pk)
    filters = TimelineFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.timeline(account, kind=data.get("kind", ""), status=data.get("status", ""))
    stem = f"{account.short_name or account.legal_name} {_('Interactions')}"
    return export_response(fmt, rows, interaction_columns(), stem=stem)
