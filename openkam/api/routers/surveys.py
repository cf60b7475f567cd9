"""Satisfaction surveys: the templates (their questions in both languages), the campaigns with
their response counts, and the answers (list, read, and create for answers a colleague took
down on the phone or at a visit, marked as entered by them).

Every route goes through openkam.surveys' selectors and services, so the rules are the pages'
own. An answer or campaign whose accounts the user does not see is a 404; a recipient they do
not see, named in a body, is a 422 on `recipient_id` (word for word the answer for one that
does not exist); a read-only role (analyst, viewer) is refused writes with a 403. The public
answer page (/s/<token>/) is not part of the API.
"""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import LIST_MAX_PAGE_SIZE, LIST_PAGE_SIZE, Id, InputSchema, Pages, user_of
from openkam.api.errors import ErrorOut
from openkam.common.errors import NotFound
from openkam.surveys import selectors, services
from openkam.surveys.models import Campaign, Response, SurveyTemplate

router = Router(tags=["surveys"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}
Csat = Annotated[int, Field(ge=1, le=5)]


class TemplateOut(Schema):
    id: int
    name: str
    name_en: str
    is_default: bool
    intro: str
    intro_en: str
    product: str = Field(description="CSAT 1-5 on the products.")
    product_en: str
    service: str = Field(description="CSAT 1-5 on the service.")
    service_en: str
    sales: str = Field(description="CSAT 1-5 on the sales staff.")
    sales_en: str
    nps: str = Field(description="How likely to recommend, 0-10.")
    nps_en: str
    comment: str
    comment_en: str


class CampaignOut(Schema):
    id: int
    name: str
    template_id: int
    period_start: dt.date
    period_end: dt.date
    expires_at: dt.datetime
    invited: int = Field(description="Recipients of the accounts you see.")
    answered: int


class ResponseOut(Schema):
    id: int
    campaign_id: int
    recipient_id: int
    account_id: int
    contact_id: int
    csat_product: int | None
    csat_service: int | None
    csat_sales: int | None
    nps: int
    category: str = Field(description="promoter (9-10), passive (7-8) or detractor (0-6).")
    comment: str
    language: str
    channel: str = Field(description="link: the contact's own; phone or visit: entered by staff.")
    entered_by_id: int | None
    answered_at: dt.datetime
    follow_up_id: int | None = Field(description="The interaction whose next step follows it up.")


class ResponseIn(InputSchema):
    recipient_id: Id
    channel: Annotated[str, Field(pattern="^(phone|visit)$")] = "phone"
    csat_product: Csat | None = None
    csat_service: Csat | None = None
    csat_sales: Csat | None = None
    nps: Annotated[int, Field(ge=0, le=10)]
    comment: Annotated[str, Field(max_length=2000)] = ""


class ResponseFilters(Schema):
    account_id: Id | None = None
    campaign_id: Id | None = None


@router.get(
    "/surveys", response={200: list[TemplateOut], 401: ErrorOut}, summary="List survey templates"
)
def list_templates(request: HttpRequest) -> QuerySet[SurveyTemplate]:
    user_of(request)
    return SurveyTemplate.objects.order_by("-is_default", "pk")


@router.get(
    "/survey-campaigns",
    response={200: list[CampaignOut], 401: ErrorOut, 422: ErrorOut},
    summary="List survey campaigns",
)
@paginate(Pages, **PAGES)
def list_campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    """Campaigns that asked a contact of an account you see, the newest period first."""
    return selectors.campaign_list(user_of(request))


@router.get(
    "/survey-campaigns/{int:campaign_id}",
    response={200: CampaignOut, **READ},
    summary="Read a survey campaign",
)
def get_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return selectors.campaign_for(user_of(request), campaign_id)


@router.get(
    "/survey-responses",
    response={200: list[ResponseOut], 401: ErrorOut, 422: ErrorOut},
    summary="List survey answers",
)
@paginate(Pages, **PAGES)
def list_responses(request: HttpRequest, filters: Query[ResponseFilters]) -> QuerySet[Response]:
    """Answers of the accounts you see, the newest first."""
    return selectors.response_list(
        user_of(request), account_id=filters.account_id, campaign_id=filters.campaign_id
    )


@router.get(
    "/survey-responses/{int:response_id}",
    response={200: ResponseOut, **READ},
    summary="Read a survey answer",
)
def get_response(request: HttpRequest, response_id: int) -> Response:
    found = selectors.response_list(user_of(request)).filter(pk=response_id).first()
    if found is None:
        raise NotFound(_("No survey answer with this ID."))
    return found


@router.post(
    "/survey-responses",
    response={201: ResponseOut, **WRITE},
    summary="Enter the answers of a phone interview or a visit",
)
def create_response(request: HttpRequest, payload: ResponseIn) -> Status:
    """Marked as entered by you; a detractor's answer gives the KAM a follow-up."""
    user = user_of(request)
    try:
        selectors.recipient_for(user, payload.recipient_id)
    except NotFound as exc:
        raise DjangoValidationError({"recipient_id": _("No recipient with this ID.")}) from exc
    answer = services.answer_enter(
        user=user,
        recipient_id=payload.recipient_id,
        channel=payload.channel,
        data=payload.model_dump(exclude={"recipient_id", "channel"}),
    )
    return Status(201, selectors.response_list(user).get(pk=answer.pk))
