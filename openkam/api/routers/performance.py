"""Targets, forecasts and the ten KPIs (issue 14).

Targets: everyone reads the targets they may see (a KAM their own and their teams' totals);
an executive or the team's director sets them (a KAM, analyst or viewer: 403; another team:
404); only an executive approves; an approved target changes only with a `reason`.
Forecasts: the account's KAM forecasts its quarters (or accepts the model's).
KPIs: `scope` is `company`, `team:ID` or `kam:ID`; `period` is `2026`, `2026-Q3` or `2026-07`.
Appraisals and commission statements: see the section below.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts.selectors import account_for, teams_visible_to
from openkam.api.common import LIST_MAX_PAGE_SIZE, LIST_PAGE_SIZE, InputSchema, Pages, user_of
from openkam.api.errors import ErrorOut
from openkam.common.errors import NotFound, ValidationError
from openkam.performance import appraisals, kpis, services
from openkam.performance.commission import commission_statement, pay_kam_for
from openkam.performance.models import (
    Appraisal,
    AppraisalStatus,
    Forecast,
    KpiKey,
    Level,
    Metric,
    Target,
)
from openkam.performance.periods import period_parse
from openkam.performance.selectors import (
    forecasts_visible_to,
    not_a_member,
    only_team_targets_split,
    period_missing,
    scope_for,
    scope_target,
    target_for,
    targets_visible_to,
)
from openkam.team.models import Team, User

router = Router(tags=["performance"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}


class TargetOut(Schema):
    id: int
    year: int
    level: str
    metric: str
    team_id: int | None
    kam_id: int | None
    account_id: int | None
    parent_id: int | None
    amount: Decimal
    months: list[str]
    status: str
    approved_by_id: int | None


class TargetFilters(Schema):
    year: int | None = None
    level: Level | None = None
    metric: Metric | None = None
    team_id: int | None = None
    kam_id: int | None = None


class TargetIn(InputSchema):
    year: int
    level: Level
    metric: Metric
    amount: Decimal
    team_id: int | None = None
    kam_id: int | None = None
    account_id: int | None = None
    months: list[Decimal] | None = None
    reason: str = ""


class TargetPatch(InputSchema):
    amount: Decimal
    months: list[Decimal] | None = None
    reason: str = ""


class DecomposeIn(InputSchema):
    amounts: dict[int, Decimal]
    reason: str = ""


class SplitOut(Schema):
    kam_id: int
    amount: Decimal


class ForecastOut(Schema):
    id: int
    account_id: int
    kam_id: int
    year: int
    quarter: int
    amount: Decimal
    model_amount: Decimal
    accepted_model: bool


class ForecastIn(InputSchema):
    account_id: int
    year: int
    quarter: int
    amount: Decimal | None = None
    accept_model: bool = False


class KpiOut(Schema):
    key: str
    name: str
    definition: str
    unit: str
    value: float | None
    available: bool
    target: Decimal | None
    detail: dict[str, float | None]


class KpisOut(Schema):
    scope: str
    label: str
    period: str
    kpis: list[KpiOut]


def _team(user: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = teams_visible_to(user).filter(pk=team_id).first()
    if team is None:
        raise NotFound
    return team


def _kam(team: Team | None, kam_id: int | None) -> User | None:
    if kam_id is None:
        return None
    kam = User.objects.filter(pk=kam_id).first()
    if kam is None or (team is not None and not team.members.filter(pk=kam_id).exists()):
        raise ValidationError({"kam_id": not_a_member()})
    return kam


@router.get("/targets", response={200: list[TargetOut], 401: ErrorOut}, summary="List targets")
@paginate(Pages, **PAGES)
def list_targets(request: HttpRequest, filters: Query[TargetFilters]) -> QuerySet[Target]:
    """The targets you may see, by year, level and metric."""
    rows = targets_visible_to(user_of(request))
    return rows.filter(**filters.model_dump(exclude_none=True)).order_by(
        "year", "level", "metric", "pk"
    )


@router.post("/targets", response={201: TargetOut, **WRITE}, summary="Set a target")
def create_target(request: HttpRequest, payload: TargetIn) -> Status:
    """Set the year target of the company, a team, a KAM or an account (with its twelve
    months; an even split when they are left out)."""
    user = user_of(request)
    team = _team(user, payload.team_id)
    account = account_for(user, payload.account_id) if payload.account_id else None
    target = services.target_set(
        user=user,
        year=payload.year,
        level=payload.level,
        metric=payload.metric,
        amount=payload.amount,
        team=team,
        kam=_kam(team, payload.kam_id),
        account=account,
        months=payload.months,
        reason=payload.reason,
    )
    return Status(201, target)


@router.get("/targets/{int:target_id}", response={200: TargetOut, **READ}, summary="Read a target")
def get_target(request: HttpRequest, target_id: int) -> Target:
    return target_for(user_of(request), target_id)


@router.patch(
    "/targets/{int:target_id}", response={200: TargetOut, **WRITE}, summary="Change a target"
)
def update_target(request: HttpRequest, target_id: int, payload: TargetPatch) -> Target:
    """Change the amount (and months); an approved target needs a `reason`."""
    user = user_of(request)
    target = target_for(user, target_id)
    return services.target_set(
        user=user,
        year=target.year,
        level=target.level,
        metric=target.metric,
        amount=payload.amount,
        team=target.team,
        kam=target.kam,
        account=target.account,
        months=payload.months,
        reason=payload.reason,
    )


@router.delete("/targets/{int:target_id}", response={204: None, **WRITE}, summary="Delete a target")
def delete_target(request: HttpRequest, target_id: int) -> Status:
    """A target not yet approved."""
    user = user_of(request)
    services.target_delete(user=user, target=target_for(user, target_id))
    return Status(204, None)


@router.get(
    "/targets/{int:target_id}/suggested-split",
    response={200: list[SplitOut], **READ},
    summary="Suggested split of a team target",
)
def suggested_split(request: HttpRequest, target_id: int, basis: str = "last_year") -> list:
    """The team target shared by each KAM's sales last year (`basis=last_year`) or evenly."""
    target = target_for(user_of(request), target_id)
    if target.level != Level.TEAM:
        raise ValidationError({"target_id": only_team_targets_split()})
    return [
        {"kam_id": kam.pk, "amount": amount}
        for kam, amount in services.target_suggest_split(parent=target, basis=basis)
    ]


@router.post(
    "/targets/{int:target_id}/decompose",
    response={200: list[TargetOut], **WRITE},
    summary="Decompose a target",
)
def decompose_target(request: HttpRequest, target_id: int, payload: DecomposeIn) -> list[Target]:
    """Set the children's amounts (KAM IDs for a team's target); the gap is not refused."""
    user = user_of(request)
    return services.target_decompose(
        user=user,
        parent=target_for(user, target_id),
        amounts=payload.amounts,
        reason=payload.reason,
    )


@router.post(
    "/targets/{int:target_id}/submit", response={200: TargetOut, **WRITE}, summary="Submit"
)
def submit_target(request: HttpRequest, target_id: int) -> Target:
    user = user_of(request)
    return services.target_submit(user=user, target=target_for(user, target_id))


@router.post(
    "/targets/{int:target_id}/approve", response={200: TargetOut, **WRITE}, summary="Approve"
)
def approve_target(request: HttpRequest, target_id: int) -> Target:
    """An executive approves the target and its decomposition; they are locked."""
    user = user_of(request)
    return services.target_approve(user=user, target=target_for(user, target_id))


@router.get(
    "/forecasts", response={200: list[ForecastOut], 401: ErrorOut}, summary="List forecasts"
)
@paginate(Pages, **PAGES)
def list_forecasts(request: HttpRequest, year: int | None = None) -> QuerySet[Forecast]:
    rows = forecasts_visible_to(user_of(request))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("year", "quarter", "account_id", "pk")


@router.post("/forecasts", response={201: ForecastOut, **WRITE}, summary="Forecast a quarter")
def create_forecast(request: HttpRequest, payload: ForecastIn) -> Status:
    """The account's KAM forecasts its sales in a quarter, or accepts the model's forecast."""
    user = user_of(request)
    forecast = services.forecast_set(
        user=user,
        account=account_for(user, payload.account_id),
        year=payload.year,
        quarter=payload.quarter,
        amount=payload.amount,
        accept_model=payload.accept_model,
    )
    return Status(201, forecast)


@router.get("/kpis", response={200: KpisOut, **READ, 422: ErrorOut}, summary="The ten KPIs")
def get_kpis(request: HttpRequest, scope: str = "company", period: str = "") -> dict:
    """The ten KPIs of the scope and period, each with its definition and, for sales, its
    target. A KPI without a source yet (satisfaction) is `available: false`."""
    user = user_of(request)
    if not period:
        raise ValidationError({"period": period_missing()})
    found = scope_for(user, scope)
    span = period_parse(period)
    figures = kpis.compute(found.accounts, span)
    sales_target = scope_target(found, Metric.SALES, span)
    return {
        "scope": scope,
        "label": found.label,
        "period": period,
        "kpis": [
            {
                "key": kpi.key,
                "name": str(kpi.name),
                "definition": str(kpi.definition),
                "unit": kpi.unit,
                "value": None if kpi.value is None else float(kpi.value),
                "available": kpi.available,
                "target": sales_target if kpi.key == "sales" else None,
                "detail": {
                    key: None if value is None else float(value)
                    for key, value in kpi.detail.items()
                },
            }
            for kpi in figures
        ],
    }


# Appraisals and pay ------------------------------------------------------------------------
# A form is read by the KAM, the director of the KAM's team and executives (anyone else: 404);
# the manager rates (`ratings`, `manager_comment`), the KAM comments (`kam_comment`), both sign.
# A KAM's commission statement is read by the KAM and executives only (anyone else: 404).


class AppraisalLineOut(Schema):
    kpi: str
    weight: Decimal
    target: Decimal | None
    actual: Decimal | None
    attainment: Decimal | None
    score: Decimal | None


class AppraisalOut(Schema):
    id: int
    kam_id: int
    team_id: int
    period: str
    status: str
    lines: list[AppraisalLineOut]
    kpi_score: Decimal
    ratings: dict[str, int]
    overall_score: Decimal
    manager_comment: str
    kam_comment: str
    kam_signed_at: datetime | None
    manager_signed_at: datetime | None
    manager_id: int | None

    @staticmethod
    def resolve_overall_score(obj: Appraisal) -> Decimal:
        return appraisals.overall_score(obj.kpi_score, obj.ratings)


class AppraisalFilters(Schema):
    period: str | None = None
    kam_id: int | None = None
    status: AppraisalStatus | None = None


class AppraisalIn(InputSchema):
    kam_id: int
    period: str


class AppraisalPatch(InputSchema):
    ratings: dict[str, int] | None = None
    manager_comment: str | None = None
    kam_comment: str | None = None


class StatementLineOut(Schema):
    payment_id: int
    payment_date: date
    reference: str
    account: str
    invoice_no: str
    invoice_date: date | None
    invoice_amount: Decimal | None
    paid: Decimal
    paid_share: Decimal
    base: Decimal
    rate: Decimal
    commission: Decimal


class StatementOut(Schema):
    kam_id: int
    period: str
    basis: str
    has_plan: bool
    actual: Decimal
    target: Decimal | None
    attainment: Decimal | None
    rate: Decimal
    accelerated: bool
    salary: Decimal
    collected: Decimal
    commission: Decimal
    total_pay: Decimal
    share_note: str
    lines: list[StatementLineOut]


@router.get(
    "/appraisals", response={200: list[AppraisalOut], 401: ErrorOut}, summary="List appraisals"
)
@paginate(Pages, **PAGES)
def list_appraisals(request: HttpRequest, filters: Query[AppraisalFilters]) -> QuerySet[Appraisal]:
    """The appraisal forms you may read: your own, your teams' KAMs' as their director, all as
    an executive."""
    rows = appraisals.appraisals_visible_to(user_of(request))
    return rows.filter(**filters.model_dump(exclude_none=True)).order_by("-period", "kam_id", "pk")


@router.post("/appraisals", response={201: AppraisalOut, **WRITE}, summary="Open an appraisal")
def open_appraisal(request: HttpRequest, payload: AppraisalIn) -> Status:
    """The KAM's manager opens (or rescores, while nobody signed) the form of a year or a
    quarter, scored from the KAM's KPIs against the weights and targets."""
    user = user_of(request)
    kam = User.objects.filter(pk=payload.kam_id).first()
    if kam is None:
        raise NotFound
    return Status(201, appraisals.appraisal_open(user=user, kam=kam, period=payload.period))


@router.get(
    "/appraisals/{int:appraisal_id}",
    response={200: AppraisalOut, **READ},
    summary="Read an appraisal",
)
def get_appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    return appraisals.appraisal_for(user_of(request), appraisal_id)


@router.patch(
    "/appraisals/{int:appraisal_id}",
    response={200: AppraisalOut, **WRITE},
    summary="Rate or comment an appraisal",
)
def update_appraisal(request: HttpRequest, appraisal_id: int, payload: AppraisalPatch) -> Appraisal:
    """The manager sets `ratings` (1-5) and `manager_comment`, the KAM `kam_comment`; a change
    withdraws the other side's signature; a closed form is refused (422)."""
    user = user_of(request)
    return appraisals.appraisal_update(
        user=user,
        appraisal=appraisals.appraisal_for(user, appraisal_id),
        ratings=payload.ratings,
        manager_comment=payload.manager_comment,
        kam_comment=payload.kam_comment,
    )


@router.post(
    "/appraisals/{int:appraisal_id}/sign",
    response={200: AppraisalOut, **WRITE},
    summary="Sign an appraisal",
)
def sign_appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    """The KAM or the manager signs; when both have, the form is closed."""
    user = user_of(request)
    return appraisals.appraisal_sign(
        user=user, appraisal=appraisals.appraisal_for(user, appraisal_id)
    )


@router.get(
    "/commission-statements/{int:kam_id}",
    response={200: StatementOut, **READ, 422: ErrorOut},
    summary="A KAM's commission statement",
)
def get_statement(request: HttpRequest, kam_id: int, period: str = "") -> dict:
    """Salary and commission of the period (`2026`, `2026-Q3`, `2026-07`), a line per payment
    received with its invoice: commission is earned on cash collected."""
    if not period:
        raise ValidationError({"period": period_missing()})
    kam = pay_kam_for(user_of(request), kam_id)
    found = commission_statement(kam, period_parse(period))
    return {
        "kam_id": kam.pk,
        "period": found.period.label,
        "basis": found.basis,
        "has_plan": found.plan is not None,
        "actual": found.actual,
        "target": found.target,
        "attainment": found.attainment,
        "rate": found.rate,
        "accelerated": found.accelerated,
        "salary": found.salary,
        "collected": found.collected,
        "commission": found.commission,
        "total_pay": found.total_pay,
        "share_note": found.plan.share_note if found.plan else "",
        "lines": [vars(line) for line in found.lines],
    }


class WeightOut(Schema):
    kpi: str
    weight: Decimal
    target: Decimal | None


class WeightIn(InputSchema):
    kpi: KpiKey
    weight: Decimal
    target: Decimal | None = None


class WeightsIn(InputSchema):
    team_id: int | None = None
    weights: list[WeightIn]


def _weights_team(user: User, team_id: int | None) -> Team | None:
    return _team(user, team_id) if team_id is not None else None


@router.get(
    "/appraisal-weights", response={200: list[WeightOut], **READ}, summary="KPI weights in force"
)
def get_weights(request: HttpRequest, team_id: int | None = None) -> list[dict]:
    """The weights and targets of the appraisal's KPIs for a team's KAMs (the team's own, else
    the company's, else the defaults); without `team_id`, the company's."""
    team = _weights_team(user_of(request), team_id)
    return [
        {"kpi": key, "weight": weight, "target": target}
        for key, (weight, target) in appraisals.weights_for(team).items()
    ]


@router.put(
    "/appraisal-weights", response={200: list[WeightOut], **WRITE}, summary="Set KPI weights"
)
def set_weights(request: HttpRequest, payload: WeightsIn) -> list[dict]:
    """Replace the company's (no `team_id`: executives) or a team's (its director, executives)
    weights; they add up to 100. Anyone else: 403, nothing saved."""
    user = user_of(request)
    team = _weights_team(user, payload.team_id)
    rows = appraisals.weights_set(
        user=user,
        team=team,
        weights={row.kpi: (row.weight, row.target) for row in payload.weights},
    )
    return [{"kpi": row.kpi, "weight": row.weight, "target": row.target} for row in rows]
