"""Pay pages: a KAM's commission statement for a period (page and XLSX), every line a payment
traced to its invoice; the executive sets the pay plan on the same page. Executives and the
KAM themselves see it; anyone else gets a 404, as for a person who does not exist."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openkam.common.exports import Column, Kind, attr, export_response
from openkam.performance.commission import (
    StatementLine,
    commission_statement,
    pay_kam_for,
    pay_plan_set,
)
from openkam.performance.models import CommissionBasis
from openkam.performance.periods import Period, period_parse
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role

DEFAULT_TIERS = json.dumps(
    [{"from": "0", "rate": "0.01"}, {"from": "0.8", "rate": "0.02"}, {"from": "1", "rate": "0.03"}]
)


def _period(request: AuthenticatedRequest) -> Period:
    try:
        return period_parse(request.GET.get("period", "") or str(dt.date.today().year))
    except ValidationError:
        return period_parse(str(dt.date.today().year))


@login_required
def my_pay(request: AuthenticatedRequest) -> HttpResponse:
    return redirect(reverse("performance:statement", args=[request.user.pk]))


@login_required
def statement(request: AuthenticatedRequest, kam_id: int) -> HttpResponse:
    """The KAM's salary and commission for the period, a line per payment received."""
    kam = pay_kam_for(request.user, kam_id)
    period = _period(request)
    found = commission_statement(kam, period)
    executive = request.user.is_superuser or request.user.role == Role.EXECUTIVE
    context = {
        "kam": kam,
        "period": period,
        "statement": found,
        "may_set": executive,
        "bases": CommissionBasis.choices,
        "tiers_json": json.dumps(found.plan.tiers) if found.plan else DEFAULT_TIERS,
    }
    return render(request, "performance/statement.html", context)


def statement_columns() -> list[Column[StatementLine]]:
    return [
        Column(gettext_lazy("Payment date"), attr("payment_date"), Kind.DATE),
        Column(gettext_lazy("Reference"), attr("reference")),
        Column(gettext_lazy("Account"), attr("account"), width=30),
        Column(gettext_lazy("Invoice number"), attr("invoice_no")),
        Column(gettext_lazy("Invoice date"), attr("invoice_date"), Kind.DATE),
        Column(gettext_lazy("Invoice amount"), attr("invoice_amount"), Kind.MONEY),
        Column(gettext_lazy("Paid"), attr("paid"), Kind.MONEY),
        Column(gettext_lazy("Share of the invoice paid"), attr("paid_share"), Kind.PERCENT),
        Column(gettext_lazy("Commission base"), attr("base"), Kind.MONEY),
        Column(gettext_lazy("Rate"), attr("rate"), Kind.PERCENT),
        Column(gettext_lazy("Commission"), attr("commission"), Kind.MONEY),
    ]


@login_required
def statement_export(request: AuthenticatedRequest, kam_id: int, fmt: str) -> HttpResponseBase:
    kam = pay_kam_for(request.user, kam_id)
    found = commission_statement(kam, _period(request))
    stem = _("Commission %(kam)s %(period)s") % {"kam": kam, "period": found.period.label}
    return export_response(fmt, found.lines, statement_columns(), stem=stem)


def _decimal(text: str, field: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({field: _("Give a number.")}) from None


@login_required
@require_POST
def plan_set(request: AuthenticatedRequest, kam_id: int) -> HttpResponse:
    """The executive sets the KAM's pay plan for the statement's year."""
    kam = pay_kam_for(request.user, kam_id)
    post = request.POST
    year = int(post["year"]) if post.get("year", "").isdigit() else dt.date.today().year
    try:
        try:
            tiers = json.loads(post.get("tiers", ""))
        except ValueError:
            raise ValidationError({"tiers": _("Give the tiers as a list.")}) from None
        pay_plan_set(
            user=request.user,
            kam=kam,
            year=year,
            annual_salary=_decimal(post.get("annual_salary", ""), "annual_salary"),
            basis=post.get("basis", ""),
            tiers=tiers if isinstance(tiers, list) else [],
            accelerator=_decimal(post.get("accelerator", "1"), "accelerator"),
            share_note=post.get("share_note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pay plan is saved."))
    return redirect(f"{reverse('performance:statement', args=[kam.pk])}?period={year}")
