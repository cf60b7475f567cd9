"""The import pages' lists as CSV or XLSX, each with its page's filters, every page of it:
the import history (views.run_list), the matches to confirm (views.match_list) and the likely
duplicate accounts (views.duplicate_list)."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from openkam.common.exports import Column, Kind, attr, export_response
from openkam.imports import selectors
from openkam.imports.forms import RunFilterForm, SearchForm
from openkam.imports.merging import DuplicatePair
from openkam.imports.models import AccountMatch, ImportRun
from openkam.imports.views import import_access, upload_access
from openkam.team.http import AuthenticatedRequest


def _label(name: str, model: type[ImportRun | AccountMatch] = ImportRun) -> str:
    field = model._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


def _search(request: AuthenticatedRequest) -> str:
    form = SearchForm(request.GET)
    return str(form.cleaned_data["q"]) if form.is_valid() else ""


def run_columns() -> list[Column[ImportRun]]:
    """Built per request: the labels follow the language of the request."""
    counts = ("rows_read", "rows_inserted", "rows_updated", "rows_unchanged", "rows_rejected")
    return [
        Column(_label("started_at"), attr("started_at"), Kind.DATETIME, width=18),
        Column(_label("kind"), attr("get_kind_display"), width=14),
        Column(_label("source"), attr("source"), width=12),
        Column(_label("file_name"), attr("file_name"), width=34),
        Column(_label("user"), lambda run: str(run.user) if run.user else "", width=14),
        Column(_label("status"), attr("get_status_display"), width=12),
        *(Column(_label(name), attr(name), Kind.INTEGER, width=10) for name in counts),
        Column(_label("sha256"), attr("sha256"), width=66),
    ]


@require_GET
@upload_access
def run_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    filters = RunFilterForm(request.GET)
    query = filters.cleaned_data if filters.is_valid() else {}
    runs = selectors.runs_listed(request.user, **{k: v for k, v in query.items() if v})
    stem = str(capfirst(ImportRun._meta.verbose_name_plural))
    return export_response(fmt, runs, run_columns(), stem=stem)


def match_columns() -> list[Column[AccountMatch]]:
    def label(name: str) -> str:
        return _label(name, AccountMatch)

    return [
        Column(label("source"), attr("source"), width=12),
        Column(label("external_id"), attr("external_id"), width=16),
        Column(label("name"), attr("name"), width=34),
        Column(label("credit_code"), attr("credit_code"), width=22),
        Column(label("account"), attr("account.legal_name"), width=34),
        Column(_("Account credit code"), attr("account.credit_code"), width=22),
        Column(label("basis"), attr("get_basis_display"), width=14),
        Column(label("score"), attr("score"), Kind.INTEGER, width=10),
    ]


@require_GET
@import_access
def match_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    matches = selectors.matches_pending(query=_search(request)).select_related("account")
    return export_response(fmt, matches, match_columns(), stem=str(_("Matches to confirm")))


def duplicate_columns() -> list[Column[DuplicatePair]]:
    reasons = selectors.duplicate_reason_labels()

    def why(pair: DuplicatePair) -> str:
        return "; ".join(str(reasons.get(reason, reason)) for reason in pair.reasons)

    return [
        Column(_("Account"), lambda pair: pair.first.legal_name, width=34),
        Column(_("Credit code"), lambda pair: pair.first.credit_code, width=22),
        Column(_("Likely the same as"), lambda pair: pair.second.legal_name, width=34),
        Column(_("Its credit code"), lambda pair: pair.second.credit_code, width=22),
        Column(_("Similarity"), attr("score"), Kind.INTEGER, width=10),
        Column(_("Why"), why, width=40),
    ]


@require_GET
@import_access
def duplicate_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    pairs = selectors.duplicates_listed(query=_search(request))
    return export_response(fmt, pairs, duplicate_columns(), stem=str(_("Duplicate accounts")))
