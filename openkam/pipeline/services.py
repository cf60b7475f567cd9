"""Writes to opportunities, stage probabilities and prospect screenings.

Each service checks who may do it (the account's writers: writable_account_for), validates
naming the fields, then saves inside one transaction; every move between stages is logged in
StageChange, which the conversion rates and days per stage are read from. Services raise
domain errors; the pages and the API turn them into their own answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Competitor, LifecycleStage
from openkam.accounts.selectors import teams_visible_to, user_writes, writable_account_for
from openkam.accounts.services import account_create
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.ledger.models import Order, Product
from openkam.pipeline.leads import Lead, lead_notes, screen_leads
from openkam.pipeline.mode import promotion_mode, stages
from openkam.pipeline.models import (
    OPEN_STAGES,
    WON_STAGES,
    Opportunity,
    ProspectScreening,
    ScreeningOutcome,
    Stage,
    StageChange,
    StageProbability,
)
from openkam.plans.models import Objective
from openkam.portfolio.scoring import account_scorecard
from openkam.relationships.services import contact_create
from openkam.team.models import Role, TeamMembership, User

EDITABLE = frozenset(
    {
        "title",
        "families",
        "amount",
        "currency",
        "expected_close",
        "owner_id",
        "next_step",
        "product_ids",
        "competitor_ids",
        "objective_id",
    }
)


def _require_known(changes: Iterable[str]) -> None:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _check_ids(model: Any, ids: Iterable[int], field: str) -> list[int]:
    wanted = sorted(set(ids))
    found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := [pk for pk in wanted if pk not in found]:
        raise ValidationError(
            {field: _("Unknown IDs: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    return wanted


def _check_owner(owner_id: int | None) -> None:
    if owner_id is None or not User.objects.filter(pk=owner_id, is_active=True).exists():
        raise ValidationError({"owner_id": _("Choose an active user as the owner.")})


def _check_amount(amount: Decimal) -> None:
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})


@transaction.atomic
def opportunity_create(
    *,
    user: User,
    account_id: int,
    title: str,
    amount: Decimal,
    expected_close: dt.date,
    currency: str = "",
    owner_id: int | None = None,
    families: str = "",
    next_step: str = "",
    product_ids: Iterable[int] = (),
    competitor_ids: Iterable[int] = (),
    stage: str = "",
) -> Opportunity:
    """A new opportunity at an open stage of the mode (its first unless named), owned by the
    user unless another owner is named."""
    account = writable_account_for(user, account_id)
    stage = stage or stages().open[0]
    if not title.strip():
        raise ValidationError({"title": _("Say what the opportunity is.")})
    if stage not in stages().open:
        raise ValidationError({"stage": _("A new opportunity starts at an open stage.")})
    _check_amount(amount)
    owner_id = owner_id or user.pk
    _check_owner(owner_id)
    products = _check_ids(Product, product_ids, "product_ids")
    competitors = _check_ids(Competitor, competitor_ids, "competitor_ids")
    opportunity = Opportunity(
        account=account,
        title=title.strip(),
        amount=amount,
        currency=currency or account.currency,
        expected_close=expected_close,
        owner_id=owner_id,
        families=families.strip(),
        next_step=next_step.strip(),
        stage=stage,
        stage_changed_at=timezone.now(),
    )
    opportunity.full_clean()
    opportunity.save()
    opportunity.products.set(products)
    opportunity.competitors.set(competitors)
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage="",
        to_stage=stage,
        at=opportunity.stage_changed_at,
        user=user,
    )
    return opportunity


@transaction.atomic
def opportunity_update(
    *, user: User, opportunity: Opportunity, changes: dict[str, Any]
) -> Opportunity:
    """Change what the opportunity is, its amount, close date, owner, next step; the stage
    moves only through opportunity_move_stage."""
    writable_account_for(user, opportunity.account_id)
    _require_known(changes)
    fields = dict(changes)
    products = fields.pop("product_ids", None)
    competitors = fields.pop("competitor_ids", None)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": _("Say what the opportunity is.")})
    if "amount" in fields:
        _check_amount(fields["amount"])
    if "owner_id" in fields:
        _check_owner(fields["owner_id"])
    if products is not None:
        products = _check_ids(Product, products, "product_ids")
    if competitors is not None:
        competitors = _check_ids(Competitor, competitors, "competitor_ids")
    objective = fields.get("objective_id")
    if (
        objective is not None
        and not Objective.objects.filter(
            pk=objective, plan__account_id=opportunity.account_id
        ).exists()
    ):
        raise ValidationError({"objective_id": _("Choose an objective of this account's plans.")})
    for name, value in fields.items():
        setattr(opportunity, name, value.strip() if isinstance(value, str) else value)
    opportunity.full_clean()
    opportunity.save()
    if products is not None:
        opportunity.products.set(products)
    if competitors is not None:
        opportunity.competitors.set(competitors)
    return opportunity


def _move(opportunity: Opportunity, *, stage: str, user: User, reason: str) -> Opportunity:
    now = timezone.now()
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage=opportunity.stage,
        to_stage=stage,
        at=now,
        user=user,
        reason=reason,
    )
    opportunity.stage_changed_at = now
    if stage in OPEN_STAGES:
        opportunity.closed_on = None
    elif not (opportunity.closed_on and {opportunity.stage, stage} <= set(WON_STAGES)):
        # Closed now; a signed project moving on to landed keeps the day it was signed.
        opportunity.closed_on = timezone.localdate(now)
    opportunity.stage = stage
    if stage != Stage.LOST:
        opportunity.lost_reason = ""
    opportunity._change_reason = reason or stage  # type: ignore[attr-defined]
    opportunity.save()
    if promotion_mode() and stage in LANDED_STAGES:
        _serve_landed(opportunity, user=user)
    return opportunity


# In promotion mode a target whose project lands is served as a key account from that day
# (service cases, interactions, satisfaction): its lifecycle moves at the move, not at the
# next refresh, which reads a ledger a target does not have.
LANDED_STAGES = frozenset({Stage.LANDED, Stage.IN_PRODUCTION})
SERVED_STAGE = LifecycleStage.MAINTENANCE
NOT_YET_SERVED = frozenset(
    {LifecycleStage.IDENTIFICATION, LifecycleStage.BUILDING, LifecycleStage.LOST}
)


def _serve_landed(opportunity: Opportunity, *, user: User) -> None:
    account = opportunity.account
    if account.lifecycle_stage not in NOT_YET_SERVED:
        return
    account.lifecycle_stage = SERVED_STAGE
    account._history_user = user  # type: ignore[attr-defined]
    account._change_reason = _("Project landed: %(project)s") % {  # type: ignore[attr-defined]
        "project": opportunity.title
    }
    account.save(update_fields=["lifecycle_stage", "updated_at"])


@transaction.atomic
def opportunity_move_stage(
    *, user: User, opportunity: Opportunity, stage: str, reason: str = ""
) -> Opportunity:
    """Move to another stage (forward or back, or reopen a closed one); lost needs a reason."""
    writable_account_for(user, opportunity.account_id)
    if stage not in stages().all:
        raise ValidationError({"stage": _("Choose a stage.")})
    if stage == opportunity.stage:
        raise ValidationError({"stage": _("The opportunity is already at this stage.")})
    if stage == Stage.LOST:
        return opportunity_lose(user=user, opportunity=opportunity, reason=reason)
    if stage == Stage.WON:
        return opportunity_win(user=user, opportunity=opportunity, reason=reason)
    return _move(opportunity, stage=stage, user=user, reason=reason.strip())


@transaction.atomic
def opportunity_win(
    *, user: User, opportunity: Opportunity, order_ids: Iterable[int] = (), reason: str = ""
) -> Opportunity:
    """Won; the orders that fulfil it (the account's own) may be linked now or later."""
    writable_account_for(user, opportunity.account_id)
    orders = _account_orders(opportunity, order_ids)
    if opportunity.stage != Stage.WON:
        _move(opportunity, stage=Stage.WON, user=user, reason=reason.strip())
    if orders:
        opportunity.orders.add(*orders)
    return opportunity


def _account_orders(opportunity: Opportunity, order_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(order_ids))
    found = set(
        Order.objects.filter(pk__in=wanted, account_id=opportunity.account_id).values_list(
            "pk", flat=True
        )
    )
    if missing := [pk for pk in wanted if pk not in found]:
        raise ValidationError(
            {
                "order_ids": _("No order of this account with IDs: %(ids)s")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    return wanted


@transaction.atomic
def opportunity_lose(*, user: User, opportunity: Opportunity, reason: str) -> Opportunity:
    """Lost, with the reason (to whom, why): the win-loss review reads it."""
    writable_account_for(user, opportunity.account_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the opportunity was lost.")})
    if opportunity.stage == Stage.LOST:
        raise ValidationError({"stage": _("The opportunity is already lost.")})
    opportunity.lost_reason = reason.strip()
    _move(opportunity, stage=Stage.LOST, user=user, reason=reason.strip())
    opportunity.lost_reason = reason.strip()
    opportunity.save(update_fields=["lost_reason"])
    return opportunity


@transaction.atomic
def stage_probabilities_set(*, user: User, probabilities: dict[str, int]) -> None:
    """Executives set what each stage is worth (0-100 percent)."""
    if not (user.is_superuser or user.role == Role.EXECUTIVE):
        raise PermissionDenied(_("Only an executive sets the stage probabilities."))
    errors = {
        stage: _("Enter a percentage from 0 to 100.")
        for stage, value in probabilities.items()
        if stage not in Stage.values or not 0 <= int(value) <= 100
    }
    if errors:
        raise ValidationError(errors)
    for stage, value in probabilities.items():
        StageProbability.objects.update_or_create(stage=stage, defaults={"probability": int(value)})


@transaction.atomic
def prospect_screen(
    *, user: User, account_id: int, outcome: str, reason: str, today: dt.date | None = None
) -> ProspectScreening:
    """Screen a prospect with the selection scorecard: qualified or dropped, with the reason;
    the attractiveness the scorecard gives today is kept with it."""
    account = writable_account_for(user, account_id)
    if account.lifecycle_stage != LifecycleStage.IDENTIFICATION:
        raise ValidationError(
            {"account": _("Only an account in the identification stage is screened.")}
        )
    if outcome not in ScreeningOutcome.values:
        raise ValidationError({"outcome": _("Choose qualified or dropped.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    position = account_scorecard(account, today=today).position
    return ProspectScreening.objects.create(
        account=account,
        outcome=outcome,
        reason=reason.strip(),
        attractiveness=position.attractiveness,
        screened_by=user,
        screened_on=today or timezone.localdate(),
    )


@transaction.atomic
def opportunity_delete(*, user: User, opportunity: Opportunity) -> None:
    """An opportunity opened by mistake; its history keeps that it existed."""
    writable_account_for(user, opportunity.account_id)
    opportunity.delete()


def lead_owner(user: User, *, owner_id: int | None, team_id: int | None) -> tuple[int, int | None]:
    """Who owns the prospects converted from a lead list, and their team: a KAM's are their
    own, in one of their teams; a director or an executive names a member of a team they see
    (themselves when nobody is named). Another team's owner is refused naming the field."""
    teams = teams_visible_to(user)
    if team_id is not None and not teams.filter(pk=team_id).exists():
        raise ValidationError({"team_id": _("Choose one of your teams.")})
    if user.role == Role.KAM and not user.is_superuser:
        if owner_id not in (None, user.pk):
            raise ValidationError(
                {"owner_id": _("A key account manager's prospects are their own.")}
            )
        mine = teams.filter(members=user).order_by("pk").values_list("pk", flat=True)
        return user.pk, team_id if team_id is not None else next(iter(mine), None)
    owner_id = owner_id or user.pk
    if owner_id != user.pk:
        members = TeamMembership.objects.filter(user_id=owner_id, user__is_active=True)
        members = members.filter(team_id=team_id) if team_id else members.filter(team__in=teams)
        if not members.exists():
            raise ValidationError({"owner_id": _("Choose an owner in one of your teams.")})
        if team_id is None:
            team_id = members.order_by("team_id").values_list("team_id", flat=True).first()
    return owner_id, team_id


@transaction.atomic
def prospects_convert(
    *,
    user: User,
    leads: list[Lead],
    picked: Collection[int],
    list_name: str,
    owner_id: int | None = None,
    team_id: int | None = None,
) -> list[Account]:
    """The picked rows of a lead list as prospects (accounts in the identification stage,
    each with its contact), all or none: every row is screened again and any refusal (a
    missing name, a credit code taken meanwhile) saves nothing and names its row and field."""
    if not user_writes(user):
        raise PermissionDenied(_("You do not have permission to do this."))
    numbers = {lead.number for lead in leads}
    if not picked:
        raise ValidationError({"picked": _("Pick the rows to convert.")})
    if unknown := sorted(set(picked) - numbers):
        raise ValidationError(
            {"picked": _("No such rows: %(rows)s") % {"rows": ", ".join(map(str, unknown))}}
        )
    owner_id, team_id = lead_owner(user, owner_id=owner_id, team_id=team_id)
    chosen = screen_leads(user, [lead for lead in leads if lead.number in picked])
    if errors := [error for lead in chosen for error in lead.errors]:
        raise ValidationError({"rows": errors})
    return [_convert(user, lead, list_name, owner_id, team_id) for lead in chosen]


def _convert(user: User, lead: Lead, list_name: str, owner_id: int, team_id: int | None) -> Account:
    account = account_create(
        user=user,
        data={
            "legal_name": lead.name,
            "credit_code": lead.credit_code,
            "industry_id": lead.industry_id,
            "region": lead.region_code,
            "phone": "" if lead.contact else lead.phone,
            "lifecycle_stage": LifecycleStage.IDENTIFICATION,
            "owner_id": owner_id,
            "team_id": team_id,
            "notes": lead_notes(lead, list_name),
        },
    )
    if lead.contact:
        contact_create(
            user=user, account_id=account.pk, fields={"name": lead.contact, "phone": lead.phone}
        )
    return account
