"""The forecast page: a KAM forecasts each of their key accounts' sales for a quarter, or
accepts the model's forecast, or takes the account's weighted pipeline for the quarter
(pipeline.forecasting) as theirs in one click, beside the accuracy of both over the past
quarters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account, Tier
from openkam.common.errors import NotFound, PermissionDenied
from openkam.performance import services
from openkam.performance.kpis import forecast_accuracy
from openkam.performance.models import Forecast
from openkam.performance.periods import period_parse
from openkam.pipeline.forecasting import weighted_pipeline
from openkam.portfolio.models import AccountSnapshot
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, User

PAGE_SIZE = 50
PAST_QUARTERS = 4


def _quarter(request: AuthenticatedRequest) -> tuple[int, int]:
    """The quarter asked for (`?quarter=2026-Q3`), else the next one."""
    text = request.GET.get("quarter", "") or request.POST.get("quarter", "")
    try:
        period = period_parse(text)
    except ValidationError:
        period = None
    if period is not None and period.months == 3:
        return period.year, period.start.month // 3 + 1
    today = dt.date.today()
    quarter = (today.month - 1) // 3 + 2
    return (today.year, quarter) if quarter <= 4 else (today.year + 1, 1)


def key_accounts(user: User) -> QuerySet[Account]:
    return Account.objects.filter(owner=user, tier__in=[Tier.STRATEGIC, Tier.KEY]).order_by(
        "legal_name", "pk"
    )


def _with_model_basis(accounts: QuerySet[Account], start: dt.date) -> QuerySet[Account]:
    """Each account's latest snapshot before the quarter, in one query (services.model_forecast
    reads the same figures one account at a time)."""
    latest = AccountSnapshot.objects.filter(account=OuterRef("pk"), as_of__lt=start).order_by(
        "-as_of"
    )
    return accounts.annotate(
        snap_as_of=Subquery(latest.values("as_of")[:1]),
        snap_forecast=Subquery(latest.values("forecast_year_1")[:1]),
        snap_revenue=Subquery(latest.values("revenue_12m")[:1]),
    )


def _model_amount(account: Account, year: int) -> Decimal:
    as_of = getattr(account, "snap_as_of", None)
    if as_of is None:
        return Decimal("0.00")
    base = account.snap_forecast if as_of.year == year - 1 else account.snap_revenue  # type: ignore[attr-defined]
    return (base / 4).quantize(Decimal("0.01"))


def _past(year: int, quarter: int) -> list[tuple[int, int]]:
    index = year * 4 + quarter - 1
    return [((index - n) // 4, (index - n) % 4 + 1) for n in range(PAST_QUARTERS, 0, -1)]


@login_required
def forecasts(request: AuthenticatedRequest) -> HttpResponse:
    """The KAM's key accounts with the model's forecast and theirs for the quarter."""
    year, quarter = _quarter(request)
    start = dt.date(year, (quarter - 1) * 3 + 1, 1)
    accounts = key_accounts(request.user)
    page = Paginator(_with_model_basis(accounts, start), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    given = {
        f.account_id: f
        for f in Forecast.objects.filter(
            account__in=[a.pk for a in page], year=year, quarter=quarter
        )
    }
    pipeline = weighted_pipeline([a.pk for a in page], year, quarter)
    rows = [
        {
            "account": a, "model": _model_amount(a, year), "forecast": given.get(a.pk),
            "pipeline": pipeline.get(a.pk),
        }
        for a in page
    ]  # fmt: skip
    accuracy = []
    for past_year, past_quarter in _past(year, quarter):
        figures = forecast_accuracy(accounts, period_parse(f"{past_year}-Q{past_quarter}"))
        accuracy.append({"label": f"{past_year}-Q{past_quarter}", **figures})
    context = {"label": f"{year}-Q{quarter}", "rows": rows, "page": page, "accuracy": accuracy}
    return render(request, "performance/forecasts.html", context)


@login_required
@require_POST
def forecasts_save(request: AuthenticatedRequest) -> HttpResponse:
    """Save the forecasts typed or accepted on the page (only the user's key accounts)."""
    if request.user.role in (Role.ANALYST, Role.VIEWER) and not request.user.is_superuser:
        raise PermissionDenied(_("Only the account's KAM forecasts its sales."))
    year, quarter = _quarter(request)
    page = f"{reverse('performance:forecasts')}?quarter={year}-Q{quarter}"
    taken = request.POST.get("take_pipeline", "")
    if taken:
        _take_pipeline(request, taken, year, quarter)
        return redirect(page)
    ids = [int(k[7:]) for k in request.POST if k.startswith("amount_") and k[7:].isdigit()]
    saved = 0
    for account in key_accounts(request.user).filter(pk__in=ids):
        accept = request.POST.get(f"accept_{account.pk}") == "on"
        text = request.POST.get(f"amount_{account.pk}", "").replace(",", "").strip()
        if not accept and not text:
            continue
        try:
            amount = None if accept else Decimal(text)
            services.forecast_set(
                user=request.user,
                account=account,
                year=year,
                quarter=quarter,
                amount=amount,
                accept_model=accept,
            )
        except (InvalidOperation, ValidationError):
            messages.error(
                request, _("%(account)s: give the forecast as a number.") % {"account": account}
            )
            continue
        saved += 1
    messages.success(request, _("%(count)d forecasts saved.") % {"count": saved})
    return redirect(page)


def _take_pipeline(request: AuthenticatedRequest, taken: str, year: int, quarter: int) -> None:
    """One account's weighted pipeline for the quarter saved as the KAM's forecast (read again
    here, never from the form)."""
    account = key_accounts(request.user).filter(pk=int(taken) if taken.isdigit() else 0).first()
    if account is None:
        raise NotFound(_("No key account of yours with this ID."))
    amount = weighted_pipeline([account.pk], year, quarter).get(account.pk)
    if amount is None:
        messages.error(
            request,
            _("%(account)s has no open opportunity expected to close in %(quarter)s.")
            % {"account": account, "quarter": f"{year}-Q{quarter}"},
        )
        return
    services.forecast_set(
        user=request.user, account=account, year=year, quarter=quarter, amount=amount
    )
    messages.success(
        request,
        _("%(account)s: the weighted pipeline is your forecast.") % {"account": account},
    )
