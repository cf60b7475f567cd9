"""The investment-promotion mode's facts (招商模式, issue 18): a target enterprise's profile
(its industry chain and position, market and patent share, planned expansion, the policy
support it asks for, the suppliers it brings) and an investment project's terms (land, jobs,
expected output and tax with their per-mu figures, the policy package, rival cities, the
decision date, the fit with the park's plan and the project's promotion score).

A profile is one to one with its account and read by the account's ID; the terms are one to
one with their opportunity (the project) and read by its ID. Every route goes through
openkam.pipeline's services and selectors, so the rules are the pages': a row whose account
the user does not see is a 404; analysts and viewers read only (403); an account or
opportunity named in the body that the user does not see is that field's 422, word for word
the answer for one that does not exist; a second profile or second terms for the same row is
a 409. Nothing is saved on any refusal.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts.selectors import account_for, accounts_visible_to
from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Money,
    Pages,
    in_api_names,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.common.errors import Conflict, FieldPermissionDenied, NotFound
from openkam.pipeline import promotion
from openkam.pipeline.models import (
    ChainLink,
    ChainPosition,
    Opportunity,
    ProjectTerms,
    TargetProfile,
    TechnologyLevel,
)
from openkam.pipeline.selectors import opportunities_visible_to, opportunity_for
from openkam.team.models import User

router = Router(tags=["investment promotion"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CREATE = {**WRITE, 409: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}
Share = Annotated[Decimal, Field(ge=0, le=100, description="Percent, 0-100.")]
Level = Annotated[int, inline_enum(TechnologyLevel)]
Position = Annotated[ChainPosition, inline_enum(ChainPosition)]
Land = Annotated[Decimal, Field(gt=0, lt=10**8, description="Mu (亩), above zero.")]
PROFILE_TEXTS = ("planned_expansion", "policy_asks")
TERMS_TEXTS = ("policy_land", "policy_tax", "policy_subsidies", "policy_talent", "competing_cities")


# Target profiles


class TargetProfileOut(Schema):
    account_id: int
    chain_id: int | None
    chain: str = Field(description="The industry chain's name; empty when none.")
    position: str
    market_share: Decimal | None
    patent_share: Decimal | None
    technology_level: int | None
    planned_expansion: str
    policy_asks: str
    supplier_ids: list[int] = Field(description="The suppliers it brings (chain links).")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_chain(obj: TargetProfile) -> str:
        return obj.chain.name if obj.chain else ""

    @staticmethod
    def resolve_supplier_ids(obj: TargetProfile) -> list[int]:
        return [link.supplier_id for link in getattr(obj.account, "visible_links", [])]


class TargetProfileFilters(Schema):
    chain_id: Id | None = None
    position: Position | None = None


class TargetProfilePatch(InputSchema):
    chain_id: Id | None = None
    position: Position | None = Field(None, description="null clears it.")
    market_share: Share | None = None
    patent_share: Share | None = None
    technology_level: Level | None = None
    planned_expansion: str | None = None
    policy_asks: str | None = None


class TargetProfileIn(TargetProfilePatch):
    account_id: Id


def _blank_texts(changes: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """null for a text field clears it (the column stores "", never null)."""
    return {k: ("" if k in names and v is None else v) for k, v in changes.items()}


@contextmanager
def api_names(instance: Any) -> Iterator[None]:
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(instance, exc) from exc


def _profiles(user: User) -> QuerySet[TargetProfile]:
    """The profiles the user sees, each with the links to the suppliers it brings that the
    user sees too (account.visible_links: one query for the page)."""
    links = ChainLink.objects.order_by("supplier_id")
    rows = TargetProfile.objects.select_related("chain", "account")
    if not (user.is_active and user.sees_all_accounts):
        visible = accounts_visible_to(user).values("pk")
        links = links.filter(supplier__in=visible)
        rows = rows.filter(account__in=visible)
    return rows.prefetch_related(
        Prefetch("account__supplier_links", queryset=links, to_attr="visible_links")
    )


def _profile(user: User, account_id: int) -> TargetProfile:
    account_for(user, account_id)
    found = _profiles(user).filter(account_id=account_id).first()
    if found is None:
        raise NotFound(_("This target enterprise has no profile yet."))
    return found


@router.get(
    "/target-profiles",
    response={200: list[TargetProfileOut], 401: ErrorOut, 422: ErrorOut},
    summary="List target enterprises' profiles",
)
@paginate(Pages, **PAGES)
def list_target_profiles(
    request: HttpRequest, filters: Query[TargetProfileFilters]
) -> QuerySet[TargetProfile]:
    """The profiles of the target enterprises you may see, by account ID."""
    rows = (
        _profiles(user_of(request))
        .filter(**filters.model_dump(exclude_none=True))
        .order_by("account_id")
    )
    return rows


@router.post(
    "/target-profiles",
    response={201: TargetProfileOut, **CREATE},
    summary="Record a target enterprise's profile",
)
def create_target_profile(request: HttpRequest, payload: TargetProfileIn) -> Status:
    user = user_of(request)
    account = require_writable(user, payload.account_id, field="account_id")
    if TargetProfile.objects.filter(account=account).exists():
        raise Conflict(_("This target enterprise already has a profile; change it with PATCH."))
    changes = _blank_texts(payload.model_dump(exclude={"account_id"}, exclude_unset=True),
                           (*PROFILE_TEXTS, "position"))  # fmt: skip
    with api_names(TargetProfile()):
        promotion.target_profile_set(user=user, account_id=account.pk, changes=changes)
    return Status(201, _profile(user, account.pk))


@router.get(
    "/target-profiles/{int:account_id}",
    response={200: TargetProfileOut, **READ},
    summary="Read a target enterprise's profile",
)
def get_target_profile(request: HttpRequest, account_id: int) -> TargetProfile:
    return _profile(user_of(request), account_id)


@router.patch(
    "/target-profiles/{int:account_id}",
    response={200: TargetProfileOut, **WRITE},
    summary="Change a target enterprise's profile",
)
def update_target_profile(
    request: HttpRequest, account_id: int, payload: TargetProfilePatch
) -> TargetProfile:
    """Only the fields sent change; null clears one."""
    user = user_of(request)
    _profile(user, account_id)
    require_writable(user, account_id)
    changes = _blank_texts(payload.model_dump(exclude_unset=True), (*PROFILE_TEXTS, "position"))
    with api_names(TargetProfile()):
        promotion.target_profile_set(user=user, account_id=account_id, changes=changes)
    return _profile(user, account_id)


# Project terms


class ProjectScoreLineOut(Schema):
    key: str
    label: str
    weight: int = Field(description="Percent; the weights add up to 100.")
    score: float | None = Field(description="0-100; null when the fact is not recorded.")


class ProjectTermsOut(Schema):
    opportunity_id: int
    account_id: int
    land_mu: Decimal | None
    jobs: int | None
    annual_output: Decimal | None
    annual_tax: Decimal | None
    output_per_mu: Decimal | None = Field(description="Expected yearly output per mu (亩均产出).")
    tax_per_mu: Decimal | None = Field(description="Expected yearly tax per mu (亩均税收).")
    policy_land: str
    policy_tax: str
    policy_subsidies: str
    policy_talent: str
    competing_cities: str
    decision_date: dt.date | None
    park_fit: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_account_id(obj: ProjectTerms) -> int:
        return obj.opportunity.account_id


class ProjectTermsDetailOut(ProjectTermsOut):
    score: float = Field(description="The project's promotion score, 0-100, current weights.")
    score_lines: list[ProjectScoreLineOut]

    @staticmethod
    def resolve_score(obj: ProjectTerms) -> float:
        return _score(obj).total

    @staticmethod
    def resolve_score_lines(obj: ProjectTerms) -> list[ProjectScoreLineOut]:
        return [ProjectScoreLineOut.model_validate(line, from_attributes=True)
                for line in _score(obj).lines]  # fmt: skip


def _score(terms: ProjectTerms) -> promotion.ProjectScore:
    cached: promotion.ProjectScore | None = getattr(terms, "_score", None)
    if cached is None:
        project = terms.opportunity
        cached = promotion.project_score(
            project,
            terms,
            promotion.profile_or_none(project.account),
            promotion.suppliers_brought([project.account_id]).get(project.account_id, 0),
        )
        terms._score = cached  # type: ignore[attr-defined]
    return cached


class ProjectTermsFilters(Schema):
    account_id: Id | None = None


class ProjectTermsPatch(InputSchema):
    land_mu: Land | None = None
    jobs: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    annual_output: Money | None = Field(None, ge=0)
    annual_tax: Money | None = Field(None, ge=0)
    policy_land: str | None = Field(None, max_length=300)
    policy_tax: str | None = Field(None, max_length=300)
    policy_subsidies: str | None = Field(None, max_length=300)
    policy_talent: str | None = Field(None, max_length=300)
    competing_cities: str | None = Field(None, max_length=300, description="Comma separated.")
    decision_date: dt.date | None = None
    park_fit: Annotated[int, Field(ge=1, le=5)] | None = Field(
        None, description="Fit with the park's plan, 1-5."
    )


class ProjectTermsIn(ProjectTermsPatch):
    opportunity_id: Id


def _terms_rows(user: User) -> QuerySet[ProjectTerms]:
    return ProjectTerms.objects.filter(
        opportunity__in=opportunities_visible_to(user).values("pk")
    ).select_related("opportunity", "opportunity__account")


def _terms(user: User, opportunity_id: int) -> ProjectTerms:
    opportunity_for(user, opportunity_id)
    found = _terms_rows(user).filter(opportunity_id=opportunity_id).first()
    if found is None:
        raise NotFound(_("This project has no terms yet."))
    return found


def _project_for_body(user: User, opportunity_id: int) -> Opportunity:
    """The project named in the body: one the user does not see is the field's error, word
    for word the answer for an ID that does not exist; one they may not change, a 403."""
    try:
        return opportunity_for(user, opportunity_id, write=True)
    except NotFound as exc:
        raise DjangoValidationError({"opportunity_id": _("No opportunity with this ID.")}) from exc
    except PermissionDenied as exc:
        raise FieldPermissionDenied(
            "opportunity_id", _("You may not change data of this account.")
        ) from exc


@router.get(
    "/project-terms",
    response={200: list[ProjectTermsOut], 401: ErrorOut, 422: ErrorOut},
    summary="List investment projects' terms",
)
@paginate(Pages, **PAGES)
def list_project_terms(
    request: HttpRequest, filters: Query[ProjectTermsFilters]
) -> QuerySet[ProjectTerms]:
    """The terms of the projects you may see, by project ID."""
    rows = _terms_rows(user_of(request)).order_by("opportunity_id")
    if filters.account_id is not None:
        rows = rows.filter(opportunity__account_id=filters.account_id)
    return rows


@router.post(
    "/project-terms",
    response={201: ProjectTermsDetailOut, **CREATE},
    summary="Record an investment project's terms",
)
def create_project_terms(request: HttpRequest, payload: ProjectTermsIn) -> Status:
    user = user_of(request)
    project = _project_for_body(user, payload.opportunity_id)
    if ProjectTerms.objects.filter(opportunity=project).exists():
        raise Conflict(_("This project already has its terms; change them with PATCH."))
    changes = _blank_texts(
        payload.model_dump(exclude={"opportunity_id"}, exclude_unset=True), TERMS_TEXTS
    )
    with api_names(ProjectTerms()), transaction.atomic():
        promotion.project_terms_set(user=user, opportunity=project, changes=changes)
    return Status(201, _terms(user, project.pk))


@router.get(
    "/project-terms/{int:opportunity_id}",
    response={200: ProjectTermsDetailOut, **READ},
    summary="Read an investment project's terms",
)
def get_project_terms(request: HttpRequest, opportunity_id: int) -> ProjectTerms:
    return _terms(user_of(request), opportunity_id)


@router.patch(
    "/project-terms/{int:opportunity_id}",
    response={200: ProjectTermsDetailOut, **WRITE},
    summary="Change an investment project's terms",
)
def update_project_terms(
    request: HttpRequest, opportunity_id: int, payload: ProjectTermsPatch
) -> ProjectTerms:
    """Only the fields sent change; null clears one."""
    user = user_of(request)
    terms = _terms(user, opportunity_id)
    project = opportunity_for(user, opportunity_id, write=True)
    changes = _blank_texts(payload.model_dump(exclude_unset=True), TERMS_TEXTS)
    with api_names(ProjectTerms()):
        promotion.project_terms_set(user=user, opportunity=project, changes=changes)
    return _terms(user, terms.opportunity_id)
