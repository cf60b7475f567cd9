"""The import history as CSV or XLSX: the history list's filters (views.run_list), every page."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from openkam.common.exports import Column, Kind, attr, export_response
from openkam.imports import selectors
from openkam.imports.forms import RunFilterForm
from openkam.imports.models import ImportRun
from openkam.imports.views import import_access
from openkam.web.http import AuthenticatedRequest


def _label(name: str) -> str:
    field = ImportRun._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


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
@import_access
def run_list_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    filters = RunFilterForm(request.GET)
    query = filters.cleaned_data if filters.is_valid() else {}
    runs = selectors.runs_listed(**{k: v for k, v in query.items() if v})
    stem = str(capfirst(ImportRun._meta.verbose_name_plural))
    return export_response(fmt, runs, run_columns(), stem=stem)
