"""The account list as CSV or XLSX: the same form, the same visibility and the same selector
as the list page (views.account_list), so the file holds exactly the rows the list shows,
every page of them, in the list's order."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to
from openkam.common.exports import Column, Kind, attr, export_response
from openkam.common.months import trailing_months
from openkam.ledger.hierarchy import shown_parent_name, with_parent_visibility
from openkam.portfolio.labels import CHURN_LEVELS
from openkam.team.http import AuthenticatedRequest
from openkam.web.accounts.forms import AccountFilterForm
from openkam.web.selectors import account_list as account_list_query


def _field_label(name: str) -> str:
    field = Account._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


def _churn(account: Account) -> str:
    level = getattr(account, "snapshot_churn", None) or ""
    return str(CHURN_LEVELS.get(level, level))


def account_columns() -> list[Column[Account]]:
    """Built per request: the labels follow the language of the request."""
    return [
        Column(_("ID"), attr("pk"), Kind.INTEGER, width=8),
        Column(_field_label("legal_name"), attr("legal_name"), width=36),
        Column(_field_label("short_name"), attr("short_name"), width=16),
        Column(_("Credit code"), attr("credit_code"), width=22),
        Column(_("Tier"), attr("get_tier_display"), width=12),
        Column(_field_label("is_strategic"), attr("is_strategic"), Kind.BOOLEAN, width=10),
        Column(_("Lifecycle stage"), attr("get_lifecycle_stage_display"), width=18),
        Column(_("Region"), attr("get_region_display"), width=12),
        Column(_field_label("city"), attr("city"), width=12),
        Column(_("KAM"), lambda account: str(account.owner) if account.owner else "", width=14),
        Column(_("Team"), lambda account: str(account.team) if account.team else "", width=16),
        Column(_field_label("parent"), shown_parent_name, width=30),
        Column(_("Revenue 12m"), attr("revenue_12m"), Kind.MONEY, width=16),
        Column(_("ABC class (revenue)"), attr("snapshot_abc"), width=10),
        Column(_("Churn risk"), _churn, width=10),
        Column(_("CLV"), attr("snapshot_clv"), Kind.MONEY, width=16),
        Column(_("Forecast next year"), attr("snapshot_forecast"), Kind.MONEY, width=16),
    ]


@login_required
def account_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    visible = accounts_visible_to(request.user)
    form = AccountFilterForm(request.GET, user=request.user)
    form.is_valid()  # invalid filters drop out, as on the list page
    window = trailing_months(timezone.localdate())
    accounts = account_list_query(visible, window=window, **form.filters())
    return export_response(
        fmt,
        with_parent_visibility(accounts.select_related("parent"), user=request.user),
        account_columns(),
        stem=capfirst(str(Account._meta.verbose_name_plural)),
    )
