"""An account's contacts, with every buying-role field, as CSV or XLSX: the relationship
map's table in the map's order (most influential first), for whoever may see the account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from openkam.accounts.selectors import account_for
from openkam.common.exports import Column, Kind, attr, export_response
from openkam.relationships.models import Contact
from openkam.team.http import AuthenticatedRequest
from openkam.web.relationships.selectors import contacts_for_map


def _label(name: str) -> str:
    return str(capfirst(Contact._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


def contact_columns() -> list[Column[Contact]]:
    """Built per request: the labels follow the language of the request."""
    text = ("title", "department")
    reach = ("phone", "email", "wechat")
    stages = ("stage_needs", "stage_options", "stage_choice", "stage_after_sale")
    needs = ("motives", "need_1", "need_2", "need_3")
    return [
        Column(_label("name"), attr("name"), width=14),
        *(Column(_label(name), attr(name), width=18) for name in text),
        Column(_label("function"), attr("get_function_display"), width=14),
        Column(_label("reports_to"), lambda c: c.reports_to.name if c.reports_to else "", width=14),
        *(Column(_label(name), attr(name), width=18) for name in reach),
        Column(_label("influence_type"), attr("get_influence_type_display"), width=16),
        Column(_label("influence_level"), attr("influence_level"), Kind.INTEGER, width=10),
        Column(_label("participation"), attr("participation"), Kind.INTEGER, width=10),
        Column(_label("support"), attr("get_support_display"), width=12),
        *(Column(_label(name), attr(name), Kind.BOOLEAN, width=12) for name in stages),
        *(Column(_label(name), attr(name), width=24) for name in needs),
        Column(_label("preferred_channel"), attr("get_preferred_channel_display"), width=12),
        Column(_label("contact_every_days"), attr("contact_every_days"), Kind.INTEGER, width=10),
        Column(_("Last met"), attr("last_met_on"), Kind.DATE, width=12),
        Column(_("Contact due"), attr("contact_due_on"), Kind.DATE, width=12),
        Column(_label("deepening_plan"), attr("deepening_plan"), width=30),
        Column(_label("is_active"), attr("is_active"), Kind.BOOLEAN, width=8),
    ]


@login_required
def contact_list_export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
    account = account_for(request.user, pk)
    stem = f"{account.short_name or account.legal_name} {_('Contacts')}"
    return export_response(fmt, contacts_for_map(account), contact_columns(), stem=stem)
