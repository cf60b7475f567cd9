"""The imports pages: upload and history, one run with its rejected rows, the matches to
confirm, the likely duplicate accounts with merge and undo. Who sees every account
(executives, analysts, administrators) uses them all: their imports write across all accounts.
KAMs and directors upload the ledger of the accounts they may write and follow their own runs
(selectors.upload_permitted, import_scope); the matches and the duplicates stay with the first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openkam.accounts.selectors import account_for
from openkam.common.errors import NotFound
from openkam.common.exports import Column as ExportColumn
from openkam.common.exports import csv_response, xlsx_response
from openkam.imports import assigning, selectors
from openkam.imports.forms import (
    AssignFilterForm,
    AssignForm,
    MatchDecisionForm,
    MergeForm,
    RunFilterForm,
    SearchForm,
    UploadForm,
)
from openkam.imports.kinds import KINDS
from openkam.imports.merging import (
    MergeError,
    account_merge,
    account_merge_undo,
)
from openkam.imports.models import AccountMatch, AccountMerge, ImportRun, Kind
from openkam.imports.presets import NONE as NO_PRESET
from openkam.imports.reference import kind_reference, template_headers
from openkam.imports.services import account_match_confirm, account_match_reject
from openkam.imports.tasks import import_enqueue
from openkam.team.http import AuthenticatedRequest

View = Callable[..., HttpResponseBase]


def import_access(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.import_permitted(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def upload_access(view: View) -> View:
    """The upload form, the history and a run's pages: import_access, or a role that writes
    accounts (a KAM, a director), who sees only their own runs."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.upload_permitted(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def merge_access(view: View) -> View:
    """Merges and their undo: import_access, and a role that writes (not the analyst)."""

    @import_access
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.merge_permitted(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: AuthenticatedRequest, items: Any) -> Any:
    return Paginator(items, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@upload_access
def run_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = RunFilterForm(request.GET)
    query = filters.cleaned_data if filters.is_valid() else {}
    runs = selectors.runs_listed(request.user, **{k: v for k, v in query.items() if v})
    kinds = selectors.kinds_for(request.user)
    form = UploadForm(kinds=kinds)
    context = {"filters": filters, "form": form, "page": _page(request, runs),
               "sees_all": selectors.import_permitted(request.user),
               **_reference_context(str(form["kind"].value() or kinds[0][0]))}  # fmt: skip
    return render(request, "imports/run_list.html", context)


def _reference_context(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        kind = str(Kind.ACCOUNTS)
    return {"reference_kind": kind, "reference_label": Kind(kind).label,
            "reference": kind_reference(kind)}  # fmt: skip


@require_GET
@upload_access
def column_reference(request: AuthenticatedRequest) -> HttpResponse:
    """The column reference of the kind chosen on the upload form (swapped in on its change)."""
    kind = request.GET.get("kind", "")
    context = _reference_context(kind)
    return render(request, "imports/_column_reference.html", context)


TEMPLATE_LANGUAGES = ("zh", "en")


@require_GET
@upload_access
def column_template(request: AuthenticatedRequest, kind: str, language: str, fmt: str) -> Any:
    """An empty file of the kind (its header row only), with Chinese or English captions, in
    CSV (UTF-8) or XLSX: every caption is one the import recognises."""
    if kind not in KINDS or language not in TEMPLATE_LANGUAGES or fmt not in ("csv", "xlsx"):
        raise Http404
    headers = template_headers(kind, language)
    columns: list[ExportColumn[Any]] = [
        ExportColumn(label=header, value=lambda row: "", width=max(12, 2 * len(header)))
        for header in headers
    ]
    filename = f"openkam-{kind}-{language}.{fmt}"
    if fmt == "csv":
        return csv_response([], columns, filename=filename)
    return xlsx_response([], columns, filename=filename, sheet_name=kind)


@require_POST
@upload_access
def run_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Save the file and hand its import to the background worker; the run's page follows it."""
    form = UploadForm(request.POST, request.FILES, kinds=selectors.kinds_for(request.user))
    if not form.is_valid():
        runs = selectors.runs_listed(request.user)
        context = {"filters": RunFilterForm(), "form": form, "page": _page(request, runs),
                   "sees_all": selectors.import_permitted(request.user),
                   **_reference_context(str(form["kind"].value() or ""))}  # fmt: skip
        return render(request, "imports/run_list.html", context, status=400)
    data = form.cleaned_data
    run = import_enqueue(kind=data["kind"], path=_saved_upload(data["file"]), user=request.user,
                         source=data["source"], file_name=data["file"].name,
                         atomic=data["atomic"], encoding=data["encoding"], sheet=data["sheet"],
                         mapping=data["mapping"], save_mapping=data["save_mapping"],
                         preset=data["preset"])  # fmt: skip
    _announce(request, run)
    return redirect(run)


def _saved_upload(upload: Any) -> Path:
    folder = Path(settings.VAR_DIR) / "imports" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def _announce(request: AuthenticatedRequest, run: ImportRun) -> None:
    if run.is_active():
        messages.info(request, _("The file is queued: it is imported in the background and this "
                                 "page shows how far it has got."))  # fmt: skip
    elif run.status == ImportRun.Status.FAILED:
        messages.error(request, _("The file could not be imported: %(reason)s")
                       % {"reason": run.message})  # fmt: skip
    elif run.status == ImportRun.Status.REFUSED:
        messages.error(request, run.message)
    elif run.rows_rejected:
        messages.warning(request, _("Imported with %(count)s rejected rows.")
                         % {"count": run.rows_rejected})  # fmt: skip
    else:
        messages.success(request, _("Imported: every row is stored."))


@require_GET
@upload_access
def run_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.runs_of(request.user), pk=pk)
    return render(request, "imports/run_detail.html", _run_context(request, run))


@require_GET
@upload_access
def run_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The run page's body, polled while the run is queued or running: the progress bar, then
    (without the polling) the counts and rejected rows once it has finished."""
    run = get_object_or_404(selectors.runs_of(request.user), pk=pk)
    return render(request, "imports/_run_progress.html", _run_context(request, run))


def _run_context(request: AuthenticatedRequest, run: ImportRun) -> dict[str, Any]:
    importer = KINDS.get(run.kind)
    labels = {c.field: str(c.label) for c in importer.columns} if importer else {}
    columns_read = [(labels.get(name, name), header) for name, header in run.mapping.items()]
    if run.is_active():
        return {"run": run, "columns_read": columns_read}
    rejected = selectors.RejectedRows(run)
    waiting = run.matches.filter(status=AccountMatch.Status.PENDING).count()
    return {"run": run, "page": _page(request, rejected), "matches": waiting,
            "columns_read": columns_read}  # fmt: skip


@require_POST
@upload_access
def run_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Import a run's rejected rows again (after matches were confirmed or data fixed)."""
    run = get_object_or_404(selectors.runs_of(request.user), pk=pk)
    path = Path(run.rejected_file) if run.rejected_file else None
    if path is None or not path.is_file():
        raise Http404
    retry = import_enqueue(kind=run.kind, path=path, user=request.user, source=run.source,
                           file_name=path.name, atomic=run.atomic, mapping=run.mapping,
                           preset=run.preset or NO_PRESET)  # fmt: skip
    _announce(request, retry)
    return redirect(retry)


@require_GET
@upload_access
def run_rejected_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    run = get_object_or_404(selectors.runs_of(request.user), pk=pk)
    path = Path(run.rejected_file) if run.rejected_file else None
    if path is None or not path.is_file():
        raise Http404
    name = f"{Path(run.file_name).stem}-rejected.csv"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type="text/csv; charset=utf-8")  # fmt: skip


@require_GET
@import_access
def match_list(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(request, selectors.matches_pending(query=query))
    return render(request, "imports/match_list.html", {"form": form, "page": page})


@require_POST
@import_access
def match_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(AccountMatch, pk=pk, status=AccountMatch.Status.PENDING)
    form = MatchDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or reject."))
    elif form.cleaned_data["decision"] == "confirm":
        account_match_confirm(match=match, user=request.user)
        messages.success(request, _("Confirmed: “%(name)s” is %(account)s. Import the rejected "
                                    "rows again to store them.")
                         % {"name": match.name, "account": match.account})  # fmt: skip
    else:
        account_match_reject(match=match, user=request.user)
        messages.success(request, _("Rejected: “%(name)s” will not be matched to %(account)s.")
                         % {"name": match.name, "account": match.account})  # fmt: skip
    return redirect("imports:matches")


@require_GET
@import_access
def duplicate_list(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    pairs = selectors.duplicates_listed(query=query)
    context = {"form": form, "page": _page(request, pairs),
               "merges": selectors.merges_recent()[:10],
               "reasons": selectors.duplicate_reason_labels(),
               "can_merge": selectors.merge_permitted(request.user)}  # fmt: skip
    return render(request, "imports/duplicate_list.html", context)


@require_POST
@merge_access
def merge_create(request: AuthenticatedRequest) -> HttpResponse:
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(map(str, form.non_field_errors())) or _("Choose two accounts.")
        )
        return redirect("imports:duplicates")
    keep = account_for(request.user, form.cleaned_data["keep"])
    drop = account_for(request.user, form.cleaned_data["drop"])
    merge = account_merge(keep=keep, drop=drop, user=request.user)
    messages.success(request, _("%(drop)s was merged into %(keep)s. You can undo it below.")
                     % {"drop": merge.dropped_name, "keep": keep})  # fmt: skip
    return redirect("imports:duplicates")


@require_POST
@merge_access
def merge_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(AccountMerge, pk=pk)
    try:
        account = account_merge_undo(merge=merge, user=request.user)
    except MergeError:
        messages.error(request, _("This merge cannot be undone: it is undone already."))
    else:
        messages.success(request, _("Merge undone: %(name)s is back.") % {"name": account})
    return redirect("imports:duplicates")


def assign_access(view: View) -> View:
    """The assign page: executives and directors (assigning.assign_permitted)."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not assigning.assign_permitted(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
@assign_access
def account_assign(request: AuthenticatedRequest) -> HttpResponse:
    """The accounts without a team or an owner (and a director's own team's): tick several,
    give them a team and an owner in one go."""
    filters = AssignFilterForm(request.GET)
    query = filters.cleaned_data if filters.is_valid() else {}
    form = AssignForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                count = assigning.accounts_assign(
                    user=request.user,
                    account_ids=data["accounts"],
                    team=data["team"],
                    owner=data["owner"],
                )
            except NotFound as exc:
                raise Http404(str(exc)) from exc
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                owner = data["owner"] or _("no owner")
                messages.success(request, ngettext(
                    "%(count)s account assigned to %(team)s (owner: %(owner)s).",
                    "%(count)s accounts assigned to %(team)s (owner: %(owner)s).", count)
                    % {"count": count, "team": data["team"], "owner": owner})  # fmt: skip
                return redirect(request.get_full_path())
        status = 400
    accounts = assigning.accounts_listed(
        request.user, query=query.get("q") or "", sort=query.get("sort") or assigning.DEFAULT_SORT
    )
    ticked = set(form.cleaned_data.get("accounts") or []) if form.is_bound else set()
    owners = [
        (team, list(assigning.team_kams(team))) for team in assigning.assign_teams(request.user)
    ]
    context = {"filters": filters, "form": form, "page": _page(request, accounts),
               "ticked": ticked, "owners": owners}  # fmt: skip
    return render(request, "imports/assign.html", context, status=status)
