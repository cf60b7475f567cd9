"""The relationship map of an account: contacts and their buying roles (edited inline, one
field at a time), org chart, influencer wheel, buying-stage coverage, coverage matrix and the
relationship stage assessed from it. Accounts and contacts are fetched through account_for /
contact_for (404 for what the user does not see) and their writable twins (also 403 for a
role that reads only, nothing saved)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.forms import attach_error
from openkam.accounts.models import Account
from openkam.accounts.selectors import account_for, user_writes, writable_account_for
from openkam.common.http import is_htmx
from openkam.interactions.coverage import coverage_matrix
from openkam.interactions.selectors import with_contact_last_met
from openkam.relationships import services
from openkam.relationships.forms import ContactForm, contact_field_form
from openkam.relationships.models import Contact
from openkam.relationships.selectors import contact_for, writable_contact_for
from openkam.relationships.stages import assess_stage
from openkam.team.http import AuthenticatedRequest
from openkam.web.accounts.views import tab_response
from openkam.web.relationships.selectors import relationship_map as map_data


def _map_context(request: AuthenticatedRequest, account: Account) -> dict[str, object]:
    data = map_data(account, today=timezone.localdate())
    return {
        "account": account,
        "map": data,
        "can_edit": user_writes(request.user),
    }


def _with_people(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.select_related("owner", "team")


@login_required
def relationship_map(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = account_for(request.user, pk, shape=_with_people)
    return render(request, "relationships/map.html", _map_context(request, account))


@login_required
def panels(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The parts of the map that follow from the contacts, refreshed after an inline edit."""
    account = account_for(request.user, pk)
    return render(request, "relationships/_panels.html", _map_context(request, account))


def _editable_field(field: str) -> None:
    if field not in services.EDITABLE_FIELDS:
        raise Http404


def _cell(request: AuthenticatedRequest, contact: Contact, field: str) -> HttpResponse:
    contact = with_contact_last_met(Contact.objects.select_related("reports_to")).get(pk=contact.pk)
    # The cell a read-only role gets back carries no editor: edit controls only for writers.
    context = {"contact": contact, "field": field, "can_edit": user_writes(request.user)}
    return render(request, "relationships/_cell.html", context)


@login_required
def contact_field(request: AuthenticatedRequest, pk: int, field: str) -> HttpResponse:
    """GET: the editor of one field; POST: save it and answer with the updated cell."""
    _editable_field(field)
    contact = writable_contact_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = contact_field_form(contact, field, data)
    if data is not None and form.is_valid():
        try:
            services.contact_update(
                contact=contact, changes={field: form.cleaned_data[field]}, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = _cell(request, contact, field)
            response["HX-Trigger"] = "contactChanged"
            return response
    context = {"contact": contact, "field": field, "form": form, "bound": form[field]}
    return render(request, "relationships/_editor.html", context)


@login_required
def contact_cell(request: AuthenticatedRequest, pk: int, field: str) -> HttpResponse:
    """The cell as displayed (to cancel an edit)."""
    _editable_field(field)
    return _cell(request, contact_for(request.user, pk), field)


@require_POST
@login_required
def record_stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record the assessed relationship stage on the account."""
    account = writable_account_for(request.user, pk)
    assessed = assess_stage(coverage_matrix(account, today=timezone.localdate()).coverage)
    services.account_relationship_stage_record(
        account=account, stage=assessed.stage, by=request.user
    )
    messages.success(request, _("Relationship stage recorded on the account."))
    return redirect("relationships:map", pk=account.pk)


# --- The contact form of the account page --------------------------------------------------


def _contact_form_page(
    request: AuthenticatedRequest, account: Account, form: ContactForm, contact: Contact | None
) -> HttpResponse:
    action = (
        reverse("relationships:contact_edit", args=[contact.pk])
        if contact is not None
        else reverse("relationships:contact_add", args=[account.pk])
    )
    context = {"account": account, "form": form, "contact": contact, "action": action}
    template = "_contact_form" if is_htmx(request) else "contact"
    return render(request, f"relationships/{template}.html", context)


def _contact_saved(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """The account page's contacts tab as it is now (htmx), else the account page there."""
    if is_htmx(request):
        return tab_response(request, account_id, "contacts")
    messages.success(request, _("Saved."))
    return redirect(reverse("accounts:detail", args=[account_id]) + "#contacts")


@login_required
def contact_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the empty contact form; POST: add the contact to the account."""
    account = writable_account_for(request.user, pk)
    form = ContactForm(request.POST or None, account_id=account.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(user=request.user, account_id=account.pk, fields=form.changes())
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _contact_saved(request, account.pk)
    return _contact_form_page(request, account, form, None)


@login_required
def contact_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the contact's form; POST: save it."""
    contact = writable_contact_for(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact, account_id=contact.account_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_edit(user=request.user, contact_id=pk, changes=form.changes())
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _contact_saved(request, contact.account_id)
    return _contact_form_page(request, contact.account, form, contact)


@require_POST
@login_required
def contact_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Deactivate a contact who left, or bring them back (`active` = 1)."""
    active = request.POST.get("active") == "1"
    contact = services.contact_set_active(user=request.user, contact_id=pk, active=active)
    return _contact_saved(request, contact.account_id)
