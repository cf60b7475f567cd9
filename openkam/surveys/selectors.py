"""Reads about surveys. An answer or a recipient is visible exactly when its account is
(`accounts_visible_to`); a campaign when one of its recipients is, and then only with the
recipients the user sees (another team's campaign does not exist for them).

Results group the visible answers by account, tier, KAM, campaign (the period) or the product
families the account bought in the ledger, with the
plain NPS, the role-weighted NPS (the contact's influence and buying role on the
relationship map, scores.contact_weight), CSAT per dimension and the response rate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Tier
from openkam.accounts.selectors import accounts_visible_to, user_writes
from openkam.common.errors import NotFound, PermissionDenied
from openkam.ledger.models import Order, OrderLine
from openkam.surveys.models import DIMENSIONS, Campaign, Recipient, Response
from openkam.surveys.scores import contact_weight, mean, nps, response_rate, weighted_nps
from openkam.team.models import User


def recipients_visible_to(user: User) -> QuerySet[Recipient]:
    return Recipient.objects.filter(account__in=accounts_visible_to(user))


def responses_visible_to(user: User) -> QuerySet[Response]:
    return Response.objects.filter(account__in=accounts_visible_to(user))


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    seen = recipients_visible_to(user).filter(campaign=OuterRef("pk"))
    return Campaign.objects.filter(Exists(seen))


def campaign_list(user: User) -> QuerySet[Campaign]:
    """The visible campaigns with their visible recipients and answers counted."""
    visible = accounts_visible_to(user)
    return (
        campaigns_visible_to(user)
        .select_related("template")
        .annotate(
            invited=Count("recipients", filter=Q(recipients__account__in=visible), distinct=True),
            answered=Count(
                "recipients",
                filter=Q(recipients__account__in=visible, recipients__answered_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-period_end", "-pk")
    )


def campaign_for(user: User, pk: int) -> Campaign:
    """The campaign as `user` may read it, or NotFound (absent and invisible read alike)."""
    found = campaign_list(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No survey campaign with this ID."))
    return found


def writable_campaign_for(user: User, pk: int) -> Campaign:
    campaign = campaign_for(user, pk)
    if not user_writes(user):
        raise PermissionDenied(_("You may not change this survey campaign."))
    return campaign


def recipient_for(user: User, pk: int) -> Recipient:
    found = (
        recipients_visible_to(user)
        .select_related("campaign", "campaign__template", "account", "contact")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No survey recipient with this ID."))
    return found


def writable_recipient_for(user: User, pk: int) -> Recipient:
    recipient = recipient_for(user, pk)
    if not user_writes(user):
        raise PermissionDenied(_("You may not enter answers for this account."))
    return recipient


def response_list(
    user: User, *, account_id: int | None = None, campaign_id: int | None = None
) -> QuerySet[Response]:
    rows = responses_visible_to(user).select_related("contact", "account", "entered_by")
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    if campaign_id is not None:
        rows = rows.filter(campaign_id=campaign_id)
    return rows.order_by("-answered_at", "-pk")


# --- results -------------------------------------------------------------------------------

GROUPS = ("account", "tier", "kam", "campaign", "family")
# Per product family: an answer counts for each family its account bought in the ledger in
# the FAMILY_MONTHS calendar months up to the campaign's period end (that month included).
FAMILY_MONTHS = 12
NO_FAMILY = ""


@dataclass
class Figures:
    """One group's results."""

    key: Any
    label: str
    end: dt.date | None = None  # the campaign's period end, when grouped by campaign
    invited: int = 0
    answered: int = 0
    scores: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    csat: dict[str, list[int]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})

    @property
    def nps(self) -> float | None:
        return nps(self.scores)

    @property
    def weighted_nps(self) -> float | None:
        return weighted_nps(self.scores, self.weights)

    @property
    def response_rate(self) -> float | None:
        return response_rate(self.answered, self.invited)

    @property
    def csat_means(self) -> dict[str, float | None]:
        return {d: mean(values) for d, values in self.csat.items()}

    @property
    def promoters(self) -> int:
        return sum(1 for s in self.scores if s >= 9)

    @property
    def detractors(self) -> int:
        return sum(1 for s in self.scores if s <= 6)


@dataclass(frozen=True)
class Filters:
    campaign_id: int | None = None
    tier: str = ""
    owner_id: int | None = None
    account_id: int | None = None


def _filtered(rows: QuerySet[Any], filters: Filters) -> QuerySet[Any]:
    if filters.campaign_id is not None:
        rows = rows.filter(campaign_id=filters.campaign_id)
    if filters.tier:
        rows = rows.filter(account__tier=filters.tier)
    if filters.owner_id is not None:
        rows = rows.filter(account__owner_id=filters.owner_id)
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    return rows


def _group_key(row: dict[str, Any], by: str) -> tuple[Any, str]:
    if by == "account":
        return row["account_id"], row["account__legal_name"]
    if by == "tier":
        tier = row["account__tier"]
        return tier, str(Tier(tier).label) if tier in Tier.values else tier
    if by == "kam":
        return row["account__owner_id"], row["owner"] or "—"
    return row["campaign_id"], row["campaign__name"]


def _owner_name(row: dict[str, Any]) -> str:
    """The KAM as User.__str__ names them (display name, else full name, else username)."""
    first, last = row["account__owner__first_name"], row["account__owner__last_name"]
    full = f"{first or ''} {last or ''}".strip()
    return row["account__owner__display_name"] or full or row["account__owner__username"] or ""


RECIPIENT_FIELDS = ("account_id", "account__legal_name", "account__tier", "account__owner_id",
                    "account__owner__last_name", "account__owner__first_name",
                    "account__owner__username", "account__owner__display_name",
                    "campaign_id", "campaign__name", "campaign__period_end")  # fmt: skip
ANSWER_FIELDS = ("nps", "csat_product", "csat_service", "csat_sales",
                 "contact__influence_level", "contact__influence_type")  # fmt: skip


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def families_bought(
    account_ids: set[int], ends: set[dt.date]
) -> dict[tuple[int, dt.date], set[str]]:
    """(account, period end) -> the product families the account bought (order lines, cancelled
    orders left out, a family named) in the FAMILY_MONTHS calendar months up to the end's
    month: one query, by month."""
    if not account_ids or not ends:
        return {}
    since = _months_back(min(ends), FAMILY_MONTHS - 1)
    rows = (
        OrderLine.objects.filter(
            account_id__in=account_ids,
            order__order_date__gte=since,
            order__order_date__lte=max(ends),
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .exclude(product__family="")
        .annotate(month=TruncMonth("order__order_date"))
        .values_list("account_id", "product__family", "month")
        .distinct()
        .order_by()
    )
    bought: dict[int, list[tuple[str, dt.date]]] = {}
    for account_id, family, month in rows:
        month = month.date() if isinstance(month, dt.datetime) else month
        bought.setdefault(account_id, []).append((family, month))
    found: dict[tuple[int, dt.date], set[str]] = {}
    for account_id in account_ids:
        for end in ends:
            first, last = _months_back(end, FAMILY_MONTHS - 1), _month(end)
            found[(account_id, end)] = {
                family for family, month in bought.get(account_id, []) if first <= month <= last
            }
    return found


def results(user: User, *, by: str, filters: Filters | None = None) -> list[Figures]:
    """The visible results grouped `by` account, tier, kam, campaign or product family (two
    queries: the invitations and the answers; a third for the families), the most answers
    first (campaigns: the newest first). Per family, an invitation or an answer counts once for
    each family its account bought (families_bought); an account that bought nothing in the
    ledger counts under "no purchase in the ledger"."""
    filters = filters or Filters()
    groups: dict[Any, Figures] = {}

    def groups_of(row: dict[str, Any]) -> list[Figures]:
        if by == "family":
            names = families[(row["account_id"], row["campaign__period_end"])] or {NO_FAMILY}
            return [
                groups.setdefault(
                    name, Figures(key=name, label=name or _("No purchase in the ledger"))
                )
                for name in sorted(names)
            ]
        row["owner"] = _owner_name(row)
        key, label = _group_key(row, by)
        end = row["campaign__period_end"] if by == "campaign" else None
        return [groups.setdefault(key, Figures(key=key, label=label, end=end))]

    invited = list(_filtered(recipients_visible_to(user), filters).values(*RECIPIENT_FIELDS))
    answers = list(
        _filtered(responses_visible_to(user), filters).values(*RECIPIENT_FIELDS, *ANSWER_FIELDS)
    )
    families: dict[tuple[int, dt.date], set[str]] = {}
    if by == "family":
        families = families_bought(
            {row["account_id"] for row in invited + answers},
            {row["campaign__period_end"] for row in invited + answers},
        )
    for row in invited:
        for found in groups_of(row):
            found.invited += 1
    for row in answers:
        weight = contact_weight(row["contact__influence_level"], row["contact__influence_type"])
        for found in groups_of(row):
            found.answered += 1
            found.scores.append(row["nps"])
            found.weights.append(weight)
            for dimension in DIMENSIONS:
                if row[f"csat_{dimension}"] is not None:
                    found.csat[dimension].append(row[f"csat_{dimension}"])
    rows = list(groups.values())
    if by == "campaign":
        return sorted(rows, key=lambda f: (f.end or dt.date.min, f.key), reverse=True)
    return sorted(rows, key=lambda f: (-f.answered, f.label))


def trend(user: User, *, filters: Filters | None = None) -> list[Figures]:
    """Per campaign, oldest first: the series the results page draws."""
    return list(reversed(results(user, by="campaign", filters=filters)))


@dataclass(frozen=True)
class AccountSatisfaction:
    nps: float | None  # over the answers of the latest campaign the account answered
    weighted_nps: float | None
    answers: int
    campaign: Campaign | None
    latest: list[Response]


def account_satisfaction(account: Account, *, latest: int = 3) -> AccountSatisfaction:
    """The account card's figures: NPS and role-weighted NPS over the answers of the latest
    campaign the account answered (one period, as the refresh reads it), and its latest
    answers (one query; the page has already checked that the user sees the account)."""
    answers = list(
        Response.objects.filter(account=account)
        .select_related("contact", "campaign")
        .order_by("-campaign__period_end", "-campaign_id", "-answered_at", "-pk")
    )
    current = [a for a in answers if a.campaign_id == answers[0].campaign_id] if answers else []
    scores = [a.nps for a in current]
    weights = [contact_weight(a.contact.influence_level, a.contact.influence_type) for a in current]
    newest = sorted(answers, key=lambda a: (a.answered_at, a.pk), reverse=True)
    return AccountSatisfaction(
        nps=nps(scores),
        weighted_nps=weighted_nps(scores, weights),
        answers=len(current),
        campaign=current[0].campaign if current else None,
        latest=newest[:latest],
    )
