"""Contract pages: the register (filters, sorting, pages), a contract with its execution
against the ledger, terms, amendments, files and versions; create, edit (drafts), amend
(signed contracts), sign, renew, terminate, delete (drafts); upload and download files.

Reads fetch through contract_for / account_for / attachment_for (404 for what the user does
not see); writes through writable_contract_for / writable_account_for (also 403 for a role that
reads only, on GET as on POST, nothing saved). The services decide every business rule."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import user_writes, writable_account_for
from openkam.contracts import selectors, services
from openkam.contracts.execution import delivery_total
from openkam.contracts.forms import (
    SORTS,
    AmendmentForm,
    AttachmentForm,
    ContractForm,
    ItemFormSet,
    ListFilterForm,
    RenewForm,
    SignForm,
    TerminateForm,
    item_rows,
)
from openkam.contracts.models import Contract, ContractState, renewal_ahead_days
from openkam.contracts.services import CONTRACT_FIELDS, ITEM_FIELDS
from openkam.plans.forms import attach_error
from openkam.team.http import AuthenticatedRequest

STEPS = ("sign", "terminate", "renew", "delete")


@login_required
def contract_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every contract the user sees, soonest renewal first; filters, sorting, pages."""
    today = timezone.localdate()
    form = ListFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "renewal"
    rows = selectors.contract_list(
        request.user,
        today=today,
        status=data.get("status") or "",
        within=data.get("within"),
        search=(data.get("q") or "").strip(),
        order=SORTS[sort],
    )
    page = Paginator(rows, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": sort, "today": today}
    return render(request, "contracts/list.html", context)


def _detail_context(request: AuthenticatedRequest, contract: Contract) -> dict[str, Any]:
    today = timezone.localdate()
    writes = user_writes(request.user)
    history = contract.history.select_related("history_user").order_by("-history_date")[:20]
    state = contract.state
    execution = selectors.execution_for(contract, user=request.user, as_of=today)
    deliveries = selectors.deliveries_for(execution, as_of=today)
    return {
        "contract": contract,
        "account": contract.account,
        "today": today,
        "ahead_days": renewal_ahead_days(),
        "execution": execution,
        "deliveries": deliveries,
        "delivery_total": delivery_total(deliveries),
        "items": list(contract.items.select_related("product")),
        "amendments": list(contract.amendments.select_related("approved_by", "recorded_by")),
        "attachments": list(contract.attachments.select_related("uploaded_by")),
        "history": list(history),
        "renewal": Contract.objects.filter(renews=contract).first(),
        "can_write": writes,
        "sign_form": SignForm(initial={"signed_on": contract.signed_on or today})
        if writes and state == ContractState.DRAFT
        else None,
        "terminate_form": TerminateForm(initial={"terminated_on": today})
        if writes and state == ContractState.SIGNED
        else None,
        "renew_form": RenewForm(initial={"number": f"{contract.number}-R"})
        if writes and state == ContractState.SIGNED
        else None,
        "attachment_form": AttachmentForm() if writes else None,
    }


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for(request.user, pk)
    return render(request, "contracts/detail.html", _detail_context(request, contract))


def _initial(contract: Contract) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fields = {name: getattr(contract, name) for name in CONTRACT_FIELDS}
    items = [{name: getattr(item, name) for name in ITEM_FIELDS} for item in contract.items.all()]
    return fields, items


def _bound(request: AuthenticatedRequest, initial: Any = None, items: Any = None) -> Any:
    data = request.POST if request.method == "POST" else None
    return ContractForm(data, initial=initial), ItemFormSet(data, initial=items, prefix="items")


@login_required
def create(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """GET: an empty contract for the account; POST: the draft, then its page."""
    account = writable_account_for(request.user, account_id)
    form, formset = _bound(request, {"owner": account.owner, "currency": account.currency})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            contract = services.contract_create(
                user=request.user,
                account_id=account.pk,
                fields=form.cleaned_data,
                items=item_rows(formset),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(contract)
    context = {"account": account, "form": form, "formset": formset, "mode": "create"}
    return render(request, "contracts/form.html", context)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A draft's fields and items (a signed contract is amended instead)."""
    contract = selectors.writable_contract_for(request.user, pk)
    if not contract.is_editable():
        messages.info(request, _("The contract is signed: record an amendment to change it."))
        return redirect("contracts:amend", pk=contract.pk)
    form, formset = _bound(request, *_initial(contract))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.contract_update(
                user=request.user,
                contract=contract,
                fields=form.cleaned_data,
                items=item_rows(formset),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(contract)
    context = {"account": contract.account, "contract": contract, "form": form,
               "formset": formset, "mode": "edit"}  # fmt: skip
    return render(request, "contracts/form.html", context)


@login_required
def amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A signed contract's fields and items with the amendment's what, why, approver and
    effective date."""
    contract = selectors.writable_contract_for(request.user, pk)
    if contract.state != ContractState.SIGNED:
        raise Http404
    form, formset = _bound(request, *_initial(contract))
    data = request.POST if request.method == "POST" else None
    amendment = AmendmentForm(data, initial={"effective_on": timezone.localdate()})
    valid = request.method == "POST" and all(
        [form.is_valid(), formset.is_valid(), amendment.is_valid()]
    )
    if valid:
        try:
            services.contract_amend(
                user=request.user,
                contract=contract,
                fields=form.cleaned_data,
                items=item_rows(formset),
                **amendment.cleaned_data,
            )
        except ValidationError as error:
            attach_error(amendment if _about_amendment(error) else form, error)
        else:
            return redirect(contract)
    context = {"account": contract.account, "contract": contract, "form": form,
               "formset": formset, "amendment": amendment, "mode": "amend"}  # fmt: skip
    return render(request, "contracts/form.html", context)


def _about_amendment(error: ValidationError) -> bool:
    names = set(getattr(error, "error_dict", {}))
    return bool(names & {"summary", "reason", "approved_by", "effective_on"}) or not names


@require_POST
@login_required
def step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """Sign a draft, terminate or renew a signed contract, delete a draft."""
    contract = selectors.writable_contract_for(request.user, pk)
    if step not in STEPS:
        raise Http404
    forms = {"sign": SignForm, "terminate": TerminateForm, "renew": RenewForm}
    form = forms[step](request.POST) if step in forms else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(contract)
    data = form.cleaned_data if form is not None else {}
    try:
        if step == "delete":
            services.contract_delete(user=request.user, contract=contract)
            messages.success(request, _("The draft was deleted."))
            return redirect("contracts:list")
        done = getattr(services, f"contract_{step}")(user=request.user, contract=contract, **data)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(contract)
    return redirect(done)


@require_POST
@login_required
def upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contract = selectors.writable_contract_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                user=request.user,
                contract=contract,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The file was stored."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect(contract)


@login_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The file, to those who see the contract's account only; always as a download."""
    found = selectors.attachment_for(request.user, pk)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
