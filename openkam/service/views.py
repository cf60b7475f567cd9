"""Service pages: the case list (filters, sorting, pages), a case with its timeline of
changes, open / edit / resolve / move forms.

Reads fetch through case_for / account_for (404 for what the user does not see); writes
through writable_case_for / writable_account_for (also 403 for a role that reads only, on GET
as on POST, nothing saved). The services decide every business rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import user_writes, writable_account_for
from openkam.plans.forms import attach_error
from openkam.service import selectors, services
from openkam.service.forms import (
    SORTS,
    CaseForm,
    ListFilterForm,
    MoveForm,
    RatingForm,
    ResolveForm,
    TrainingForm,
)
from openkam.service.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    CaseRatingLink,
    CaseStatus,
    RatingLanguage,
    ServiceCase,
    Training,
)
from openkam.service.services import CASE_FIELDS
from openkam.team.http import AuthenticatedRequest

BREACHED = {"yes": True, "no": False}


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every case the user sees, newest first; filters, sorting, pages."""
    form = ListFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "-opened"
    rows = selectors.case_list(
        request.user,
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        severity=data.get("severity") or "",
        breached=BREACHED.get(data.get("breached") or ""),
        search=(data.get("q") or "").strip(),
        order=SORTS[sort],
    )
    page = Paginator(rows, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "service/list.html", {"form": form, "page": page, "sort": sort})


def _shown(field: Any, value: Any, names: dict[tuple[str, Any], str]) -> Any:
    """A stored value as the page reads it: a choice's label (translated), the related
    object's name, a local date and time; anything else as stored."""
    if value is None or value == "":
        return value
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        return names.get((field.name, value), value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


def _related_names(changes: list[Any]) -> dict[tuple[str, Any], str]:
    """The names of the related objects the changes mention (one query per related model)."""
    wanted: dict[str, set[Any]] = {}
    for change in changes:
        field = ServiceCase._meta.get_field(change.field)
        if field.is_relation:
            wanted.setdefault(change.field, set()).update(
                value for value in (change.old, change.new) if value is not None
            )
    names: dict[tuple[str, Any], str] = {}
    for name, ids in wanted.items():
        model = ServiceCase._meta.get_field(name).related_model
        for obj in model._default_manager.filter(pk__in=ids):  # type: ignore[union-attr]
            names[(name, obj.pk)] = str(obj)
    return names


def _timeline(case: ServiceCase) -> list[dict[str, Any]]:
    """Each version against the one before it: who, when, which fields changed (choices by
    their labels, related objects by their names)."""
    versions = list(case.history.select_related("history_user").order_by("history_date", "pk"))
    deltas = [
        after.diff_against(before) if before is not None else None
        for before, after in zip([None, *versions], versions, strict=False)
    ]
    names = _related_names([c for delta in deltas if delta for c in delta.changes])
    rows: list[dict[str, Any]] = []
    for after, delta in zip(versions, deltas, strict=True):
        changes = []
        for change in delta.changes if delta is not None else ():
            field = ServiceCase._meta.get_field(change.field)
            changes.append(
                {
                    "label": getattr(field, "verbose_name", change.field),
                    "old": _shown(field, change.old, names),
                    "new": _shown(field, change.new, names),
                }
            )
        rows.append({"version": after, "changes": changes, "created": delta is None})
    return list(reversed(rows))


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    writes = user_writes(request.user)
    moves = [CaseStatus(status) for status in TRANSITIONS.get(case.status, ())] if writes else []
    context = {
        "case": case,
        "account": case.account,
        "timeline": _timeline(case),
        "can_write": writes,
        "booked": selectors.booked_cost(case),
        "rating_link": CaseRatingLink.objects.filter(case=case).first(),
        "trainings": list(case.trainings.order_by("-held_on", "-pk")),
        "moves": moves,
        "resolve_form": ResolveForm(
            initial={
                "root_cause": case.root_cause,
                "corrective_action": case.corrective_action,
                "cost": case.cost,
            }
        )
        if writes and case.status in OPEN_STATUSES
        else None,
    }
    return render(request, "service/detail.html", context)


def _fields(form: CaseForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in CASE_FIELDS}


@login_required
def create(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """GET: an empty case for the account; POST: the case, then its page."""
    account = writable_account_for(request.user, account_id)
    data = request.POST if request.method == "POST" else None
    initial = {
        "owner": request.user,
        "opened_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    form = CaseForm(data, initial=initial, account_id=account.pk)
    if data is not None and form.is_valid():
        try:
            case = services.case_open(user=request.user, account_id=account.pk, **_fields(form))
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    return render(
        request, "service/form.html", {"account": account, "form": form, "mode": "create"}
    )


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.writable_case_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(case, name) for name in CASE_FIELDS}
    form = CaseForm(data, initial=initial, account_id=case.account_id)
    if data is not None and form.is_valid():
        try:
            services.case_update(user=request.user, case_id=case.pk, **_fields(form))
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    context = {"account": case.account, "case": case, "form": form, "mode": "edit"}
    return render(request, "service/form.html", context)


@login_required
def resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the resolve form; POST: the resolution (root cause and corrective action)."""
    case = selectors.writable_case_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = ResolveForm(
        data,
        initial={
            "root_cause": case.root_cause,
            "corrective_action": case.corrective_action,
            "cost": case.cost,
        },
    )
    if data is not None and form.is_valid():
        try:
            done = services.case_resolve(user=request.user, case_id=case.pk, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            _rating_message(request, done)
            return redirect(case)
    context = {"account": case.account, "case": case, "form": form, "mode": "resolve"}
    return render(request, "service/form.html", context)


@require_POST
@login_required
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.writable_case_for(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.case_move(
                user=request.user, case_id=case.pk, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(case)


def _rating_message(request: AuthenticatedRequest, case: ServiceCase) -> None:
    """After resolving: where the contact's rating link went (mailed, or shown once to hand
    over when the contact has no address)."""
    url = getattr(case, "rating_url", None)
    if url:
        messages.info(
            request,
            _("%(contact)s has no e-mail address: hand them this rating link: %(url)s")
            % {"contact": case.contact.name if case.contact else "", "url": url},
        )
    elif CaseRatingLink.objects.filter(case=case, answered_at__isnull=True).exists():
        messages.info(request, _("The contact has been mailed a link to rate the case."))


@never_cache
@csrf_protect
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The public page of a case's rating link: one question (1-5) and a comment, in the
    contact's language (or the one they switch to). An unknown, used or expired link reads the
    same: it cannot be used; nothing is stored."""
    try:
        link = services.rating_link_by_token(token)
    except services.RatingUnusable:
        return _rating_unusable(request)
    asked = request.GET.get("lang", "")
    lang = asked if asked in RatingLanguage.values else link.language
    with translation.override(lang):
        form = RatingForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.rating_answer(
                    token=token, rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )  # fmt: skip
            except services.RatingUnusable:
                return _rating_unusable(request)
            except ValidationError as error:
                attach_error(form, error)
            else:
                return render(request, "service/rating_thanks.html", {"lang": lang})
        other = RatingLanguage.EN if lang == RatingLanguage.ZH else RatingLanguage.ZH
        context = {"form": form, "case": link.case, "lang": lang, "other": other,
                   "other_label": RatingLanguage(other).label, "scores": range(1, 6)}  # fmt: skip
        return render(request, "service/rating.html", context)


def _rating_unusable(request: HttpRequest) -> HttpResponse:
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return render(request, "service/rating_unusable.html", {"lang": lang}, status=404)


def _training_fields(form: TrainingForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
def training_create(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """GET: an empty training for the account (a case named by ?case= ticked); POST: it."""
    account = writable_account_for(request.user, account_id)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"held_on": timezone.localdate(), "trainer": str(request.user)}
    case_id = request.GET.get("case", "")
    if case_id.isdigit():
        initial["cases"] = ServiceCase.objects.filter(account=account, pk=int(case_id))
    form = TrainingForm(data, initial=initial, account_id=account.pk)
    if data is not None and form.is_valid():
        try:
            services.training_record(
                user=request.user, account_id=account.pk, **_training_fields(form)
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("accounts:detail", account.pk)
    context = {"account": account, "form": form, "training": None, "history": []}
    return render(request, "service/training_form.html", context)


def _training_history(training: Training) -> list[dict[str, Any]]:
    """Every version, the newest first: when, who, and the topic, date and trainer then."""
    return [
        {"at": v.history_date, "by": v.history_user, "kind": v.history_type,
         "topic": v.topic, "held_on": v.held_on, "trainer": v.trainer}
        for v in training.history.select_related("history_user").order_by("-history_date", "-pk")
    ]  # fmt: skip


@login_required
def training_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the training (its form for writers, read-only otherwise) with its history; POST:
    the change (writers only: 403 for readers, nothing saved)."""
    training = selectors.training_for(request.user, pk)
    writes = user_writes(request.user)
    if request.method == "POST":
        training = selectors.writable_training_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    initial = {
        "held_on": training.held_on, "topic": training.topic, "trainer": training.trainer,
        "attendees": training.attendees.all(), "other_attendees": training.other_attendees,
        "cases": training.cases.all(), "notes": training.notes,
    }  # fmt: skip
    form = TrainingForm(data, initial=initial, account_id=training.account_id)
    if data is not None and form.is_valid():
        try:
            services.training_update(
                user=request.user, training_id=training.pk, **_training_fields(form)
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The training is saved."))
            return redirect(training)
    context = {
        "account": training.account, "form": form, "training": training, "can_write": writes,
        "history": _training_history(training),
        "attendees": list(training.attendees.order_by("name")),
        "cases": list(training.cases.order_by("-opened_at")),
    }  # fmt: skip
    return render(request, "service/training_form.html", context)
