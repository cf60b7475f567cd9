"""The printable plan: the whole account plan as a PDF in the reader's language, for the
meeting where it is presented (WeasyPrint: HTML and print CSS in, PDF out, fonts embedded so
Chinese prints anywhere and stays searchable).

Two audiences. Internal (the default) prints everything. The customer's version, handed
across the table, leaves out what we write only for ourselves: the SWOT's weaknesses, the
risks, the resources asked of our functions, internal notes, the approval comment and the
reviews (their figures carry the churn risk and lifetime value we compute about the customer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.common.errors import NotFound
from openkam.plans.models import (
    OPEN_RISK_STATUSES,
    AccountPlan,
    Metric,
    Objective,
    Risk,
    SwotKind,
)
from openkam.plans.progress import elapsed_share
from openkam.plans.risks import Level, Rating
from openkam.plans.selectors import (
    delivered_value,
    plan_detail_queryset,
    risk_grid,
    with_plan_parts,
)
from openkam.plans.svg import Bar, HeatCell, HeatMap, heat_map_svg, progress_bars_svg
from openkam.team.http import AuthenticatedRequest

TEMPLATE = "plans/pdf/plan.html"
CUSTOMER = "customer"
# What the customer's version leaves out of the SWOT.
INTERNAL_SWOT = frozenset({SwotKind.WEAKNESS})


# --- Loading --------------------------------------------------------------------------------


def plan_for_pdf(pk: int, *, user: Any = None) -> AccountPlan:
    """The plan with every part: as `user` sees it (NotFound otherwise), or any plan when no
    user is given (the operator's command)."""
    plans: QuerySet[AccountPlan] = (
        plan_detail_queryset(user)
        if user is not None
        else with_plan_parts(AccountPlan.objects.all())
    )
    found = plans.select_related("account__team").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No plan with this ID."))
    return found


# --- Figures drawn ------------------------------------------------------------------------


def share_done(objective: Objective) -> float | None:
    """How much of the way from where the objective started to its target the figure has
    come (revenue starts from nothing, as in progress.py); None while not measured."""
    if objective.target is None or objective.actual is None:
        return None
    start = Decimal(0) if objective.metric == Metric.REVENUE else objective.baseline
    if start is None:
        return None
    span = objective.target - start
    if span == 0:
        return 1.0 if objective.actual == objective.target else 0.0
    return float((objective.actual - start) / span)


def objective_bar(objective: Objective, *, today: dt.date) -> Bar:
    share = share_done(objective)
    expected = None
    if share is not None:
        as_of = objective.measured_on or today
        expected = float(elapsed_share(objective.starts_on, objective.due_on, as_of))
    caption = f"{share * 100:.0f} %" if share is not None else objective.get_progress_display()
    return Bar(
        label=objective.description,
        share=share,
        expected=expected,
        progress=objective.progress,
        caption=str(caption),
    )


def heat_map(risks: QuerySet[Risk]) -> SafeString:
    """The open risks on the 3x3 grid, drawn (one query)."""
    grid = risk_grid(risks.filter(status__in=OPEN_RISK_STATUSES))
    cells = [
        [HeatCell(cell.count, cell.rating, str(Rating(cell.rating).label)) for cell in row]
        for row in grid
    ]
    drawn = HeatMap(
        cells=cells,
        row_labels=[str(Level(row[0].impact).label) for row in grid],
        column_labels=[str(Level(cell.probability).label) for cell in grid[0]],
        row_title=_("Impact"),
        column_title=_("Probability"),
    )
    return mark_safe(heat_map_svg(drawn))


# --- The document -------------------------------------------------------------------------


@dataclass(frozen=True)
class SwotGroup:
    kind: str
    label: str
    items: list[Any]


def swot_groups(plan: AccountPlan, *, customer: bool) -> list[SwotGroup]:
    items = list(plan.swot_items.all())
    return [
        SwotGroup(kind, str(label), [item for item in items if item.kind == kind])
        for kind, label in SwotKind.choices
        if not (customer and kind in INTERNAL_SWOT)
    ]


def plan_pdf_context(plan: AccountPlan, *, customer: bool, today: dt.date) -> dict[str, Any]:
    """What the template prints; the customer's version gets no internal part at all (not
    merely hidden), so nothing internal can leak through the template."""
    objectives = list(plan.objectives.all())
    bars = [objective_bar(objective, today=today) for objective in objectives]
    members = list(plan.team_members.all())
    context: dict[str, Any] = {
        "plan": plan,
        "account": plan.account,
        "customer": customer,
        "today": today,
        "swot": swot_groups(plan, customer=customer),
        "objectives": objectives,
        "progress_chart": mark_safe(progress_bars_svg(bars)) if bars else "",
        "strategies": list(plan.strategies.all()),
        "actions": list(plan.actions.all()),
        "ours": [m for m in members if m.user_id],
        "theirs": [m for m in members if m.contact_id],
        "value_items": list(plan.value_items.all()),
        "delivered": delivered_value(plan.value_items.all()),
    }
    if not customer:
        context |= {
            "internal_notes": plan.internal_notes,
            "return_comment": plan.return_comment,
            "resources": list(plan.resources.all()),
            "risks": list(plan.risks.all()),
            "heat_map": heat_map(plan.risks.all()),
            "reviews": list(plan.reviews.all()),
        }
    return context


def render_plan_pdf(
    plan: AccountPlan, *, language: str, customer: bool = False, today: dt.date | None = None
) -> bytes:
    """The plan as PDF bytes, every text in `language`. Nothing is fetched from outside the
    document (only data: URLs), so a plan's text cannot make the server load a URL."""
    from weasyprint import HTML, URLFetcher

    today = today or timezone.localdate()
    with translation.override(language):
        html = render_to_string(
            TEMPLATE, plan_pdf_context(plan, customer=customer, today=today) | {"lang": language}
        )
    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


def language_of(request: AuthenticatedRequest) -> str:
    """`?lang=` when it names one of our languages, else the language the page is read in."""
    wanted = request.GET.get("lang", "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language() or settings.LANGUAGE_CODE


@login_required
def plan_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """/plans/<id>/pdf/[?audience=customer][&lang=en]: who sees the account gets its plan."""
    plan = plan_for_pdf(pk, user=request.user)
    customer = request.GET.get("audience") == CUSTOMER
    body = render_plan_pdf(plan, language=language_of(request), customer=customer)
    name = f"plan-{plan.pk}{'-customer' if customer else ''}.pdf"
    return HttpResponse(
        body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
